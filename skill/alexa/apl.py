"""The screen of an Echo Show or Fire TV: which APL document an outcome shows, with which data, and the touches
that come back (Alexa.Presentation.APL.UserEvent) as the same commands the voice gives.

Only a device that lists Alexa.Presentation.APL among its supported interfaces gets a document; every other
device gets exactly the response it got before screens existed.
"""

from __future__ import annotations

import json
import logging
from functools import cache
from typing import TYPE_CHECKING, Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import is_request_type

from skill.alexa.requests import person_key, request_time_ms
from skill.alexa.turns import RECORD, TurnRunner
from skill.engine.commands import Cmd, Command, Outcome
from skill.engine.effects import WorkoutFinished
from skill.engine.plan import Plan
from skill.engine.record import FINISHED as LOGGED_FINISHED
from skill.engine.record import PersonRecord
from skill.engine.state import FINISHED, PAUSED, PLAYING, WorkoutState
from skill.speech import prompts as p
from skill.speech.ssml import Speech

if TYPE_CHECKING:  # the screen's modules load on the first device with a screen, never on a speaker's turn
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

log = logging.getLogger("backcoach.screen")

APL_INTERFACE = "Alexa.Presentation.APL"
USER_EVENT = "Alexa.Presentation.APL.UserEvent"
TOKEN = "backcoach"
DOCUMENTS = ("workout", "card", "summary")
# What a touch on the screen asks for: the first argument of the button's SendEvent.
EVENTS: dict[str, Cmd] = {"pause": Cmd.PAUSE, "resume": Cmd.RESUME, "next": Cmd.NEXT, "repeat": Cmd.REPEAT}


@cache
def document(name: str) -> dict[str, Any]:
    """An APL document, as shipped beside the content (skill/content/apl/NAME.json)."""
    from importlib import resources

    text = resources.files("skill.content").joinpath("apl", f"{name}.json").read_text(encoding="utf-8")
    return json.loads(text)


def has_screen(handler_input: HandlerInput) -> bool:
    """Whether the device asked for APL: context.System.device.supportedInterfaces lists Alexa.Presentation.APL."""
    context = handler_input.request_envelope.context
    device = context.system.device if context is not None and context.system is not None else None
    interfaces = device.supported_interfaces if device is not None else None
    return interfaces is not None and getattr(interfaces, "alexa_presentation_apl", None) is not None


def is_touch(handler_input: HandlerInput) -> bool:
    """A UserEvent from one of this skill's buttons."""
    if not is_request_type(USER_EVENT)(handler_input):
        return False
    arguments = getattr(handler_input.request_envelope.request, "arguments", None) or []
    return bool(arguments) and arguments[0] in EVENTS


def touch_command(handler_input: HandlerInput) -> Command:
    """The command a button stands for: the same one the voice intent gives (Pause, Next, Repeat, Resume)."""
    return Command(EVENTS[handler_input.request_envelope.request.arguments[0]])


class Screens:
    """Builds the RenderDocument directive that goes with an outcome, for a device with a screen."""

    def __init__(self, turns: TurnRunner, speech: Speech) -> None:
        self.turns = turns
        self.speech = speech
        self.content = turns.coach.content

    def directives(self, handler_input: HandlerInput, outcome: Outcome) -> list[RenderDocumentDirective]:
        if not has_screen(handler_input):
            return []
        try:
            name, data = self.screen(handler_input, outcome)
        except Exception as e:  # noqa: BLE001 - the screen is a nicety: the voice goes on without it
            log.error("screen not built error=%s", type(e).__name__)
            return []
        return [render(name, data)]

    def screen(self, handler_input: HandlerInput, outcome: Outcome) -> tuple[str, dict[str, Any]]:
        """The document an outcome shows and its data source."""
        from skill.alexa import screens

        now = request_time_ms(handler_input)
        keys = {prompt.key for prompt in outcome.speech}
        state = outcome.state
        plan = self.turns.coach.plan(state) if state is not None else None
        if plan is not None and state is not None and state.phase == PLAYING and state.response_at_ms == now:
            done = self._done(handler_input, plan, state, now) if _finishes(outcome) else None
            panels = screens.workout_panels(self.speech, plan, state, outcome.speech, done)
            return "workout", screens.workout_data(plan, panels)
        explained = next((pr.params["exercise"] for pr in outcome.speech if pr.key == "explain"), None)
        if explained is not None:
            ex = self.content.exercises[explained]
            return "card", screens.card(ex.name, ex.setup, ex.cues, " ".join(ex.cautions))
        if keys & {"history", "history_none"}:
            return "summary", self._week(handler_input, now)
        if plan is not None and state is not None and (_finishes(outcome) or "workout_done" in keys):
            return "summary", self._done(handler_input, plan, state, now)
        code = next((pr.params["code"] for pr in outcome.speech if pr.key == "pair_code"), None)
        if code is not None:
            return "card", screens.card(p.SCREEN_PAIR, " ".join(code), hint=p.SCREEN_PAIR_HINT)
        if plan is not None and state is not None and state.phase != FINISHED:
            index = plan.index(state.position) or 0
            panel = screens.still_panel(plan, index, state)
            return "workout", screens.workout_data(plan, [panel], paused=state.phase == PAUSED)
        return "card", screens.card(p.SCREEN_HOME, p.SCREEN_HOME_HINT)

    # -- what was done ------------------------------------------------------------------------------------------

    def _record(self, handler_input: HandlerInput) -> PersonRecord:
        """The person's record after this turn, as the session carries it."""
        session = handler_input.attributes_manager.session_attributes
        data = session.get(RECORD) if handler_input.request_envelope.session is not None else None
        return PersonRecord.from_dict(data, self.content)[0] if data else PersonRecord()

    def _week(self, handler_input: HandlerInput, now: int) -> dict[str, Any]:
        from skill.alexa import screens

        record = self._record(handler_input)
        days = self.content.default_workout.days_per_week
        last = record.history[-1] if record.history else None
        line = p.SCREEN_NO_WORKOUTS
        if last is not None:
            workout = self.content.workouts.get(last.workout)
            line = p.SCREEN_LAST_WORKOUT.format(workout=workout.name if workout else last.workout, sets=last.sets)
        return screens.summary(p.SCREEN_THIS_WEEK, [line], screens.week(record.history, now, days, record.local_zone))

    def _done(self, handler_input: HandlerInput, plan: Plan, state: WorkoutState, now: int) -> dict[str, Any]:
        from skill.activity.log import build_log
        from skill.alexa import screens

        record = self._record(handler_input)
        workout_log = build_log(plan, state, LOGGED_FINISHED)
        active = workout_log.active_ms if workout_log else 0
        sets = sum(1 for s in workout_log.sets if s.kind == "move") if workout_log else 0
        heart = self._heart(handler_input, record, state, now)
        lines = screens.done_lines(active, sets, heart)
        return screens.summary(p.SCREEN_DONE, lines, screens.week(record.history, now, plan.workout.days_per_week,
                                                                    record.local_zone))

    def _heart(self, handler_input: HandlerInput, record: PersonRecord, state: WorkoutState, now: int) -> list[int]:
        """The heart rate the paired watch sent during the workout; none without a watch."""
        samples = self.turns.stores.samples
        if not record.paired or samples is None:
            return []
        try:
            found = samples.recent_samples(person_key(handler_input), state.started_at_ms)
        except Exception as e:  # noqa: BLE001 - the summary goes without it
            log.error("heart rate not read error=%s", type(e).__name__)
            return []
        return [bpm for t, bpm in found if t <= max(now, state.finished_at_ms)]


def _finishes(outcome: Outcome) -> bool:
    return any(isinstance(e, WorkoutFinished) for e in outcome.effects)


def render(name: str, data: dict[str, Any]) -> RenderDocumentDirective:
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    return RenderDocumentDirective(token=f"{TOKEN}.{name}", document=document(name), datasources={"coach": data})
