"""Load the workout state once at the start of a turn and save it once at the end, only if it changed."""

from __future__ import annotations

import logging
from typing import Any

from ask_sdk_core.dispatch_components import AbstractRequestInterceptor, AbstractResponseInterceptor
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import Response

from skill.alexa.requests import user_key
from skill.alexa.turn import TURN, WORKOUT_KEY, Turn
from skill.engine.state import WorkoutState

log = logging.getLogger("backcoach.storage")

UNAVAILABLE = object()  # the stored state could not be read this turn: never overwrite it


class LoadState(AbstractRequestInterceptor):
    def process(self, handler_input: HandlerInput) -> None:
        am = handler_input.attributes_manager
        session = am.session_attributes if handler_input.request_envelope.session is not None else None
        raw: Any
        if session is not None and WORKOUT_KEY in session:
            raw = session[WORKOUT_KEY]
        else:
            try:
                raw = (am.persistent_attributes or {}).get(WORKOUT_KEY)
            except Exception as e:  # noqa: BLE001 - any storage fault: carry on without the saved state
                log.error("load failed user=%s error=%s", user_key(handler_input), type(e).__name__)
                raw = UNAVAILABLE
            if session is not None and raw is not UNAVAILABLE:
                session[WORKOUT_KEY] = raw
        state = None if raw is UNAVAILABLE else WorkoutState.from_dict(raw)
        if raw not in (None, UNAVAILABLE) and state is None:
            log.warning("ignored malformed saved state user=%s", user_key(handler_input))
        am.request_attributes[TURN] = Turn(state=state, loaded=raw)


class SaveState(AbstractResponseInterceptor):
    def process(self, handler_input: HandlerInput, response: Response) -> None:
        turn: Turn | None = handler_input.attributes_manager.request_attributes.get(TURN)
        if turn is None or turn.outcome is None:
            return
        am = handler_input.attributes_manager
        new = turn.outcome.state.to_dict() if turn.outcome.state is not None else None
        if handler_input.request_envelope.session is not None:
            am.session_attributes[WORKOUT_KEY] = new
        if turn.loaded is UNAVAILABLE or new == turn.loaded:
            return
        am.persistent_attributes = {WORKOUT_KEY: new}
        try:
            am.save_persistent_attributes()
        except Exception as e:  # noqa: BLE001 - the session still carries the state; a later turn saves it
            log.error("save failed user=%s error=%s", user_key(handler_input), type(e).__name__)
