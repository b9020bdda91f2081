"""The screen of an Echo Show or Fire TV: which APL document an outcome shows, with which data.

Only a device that lists Alexa.Presentation.APL among its supported interfaces gets a document; every other
device gets exactly the response it got before screens existed. What the screen shows comes from the outcome:
the workout under way (its state and timeline), what the engine says it shows (`Outcome.shown`: an exercise's
cues, the week, a pairing code, a finished workout) and the person's record after the turn.
"""

from __future__ import annotations

import json
import logging
from functools import cache
from typing import TYPE_CHECKING, Any

from ask_sdk_core.handler_input import HandlerInput

from skill.alexa.requests import request_time_ms
from skill.engine.effects import WorkoutFinished
from skill.engine.plan import Plan
from skill.engine.record import PersonRecord
from skill.engine.state import FINISHED, PAUSED, PLAYING, WorkoutState
from skill.engine.views import Concluded, Explained, PairingCode, WeekShown
from skill.storage.stores import Stores

if TYPE_CHECKING:  # the screen's modules load on the first device with a screen, never on a speaker's turn
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    from skill.languages import Language
    from skill.turn import TurnResult

log = logging.getLogger("backcoach.screen")

APL_INTERFACE = "Alexa.Presentation.APL"
TOKEN = "backcoach"
DOCUMENTS = ("workout", "card", "summary")


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


class Screens:
    """Builds the RenderDocument directive that goes with a turn's outcome, for a device with a screen."""

    def __init__(self, stores: Stores) -> None:
        self.stores = stores

    def directives(self, handler_input: HandlerInput, result: TurnResult, language: Language
                   ) -> list[RenderDocumentDirective]:
        try:
            name, data = self.screen(handler_input, result, language)
        except Exception as e:  # noqa: BLE001 - the screen is a nicety: the voice goes on without it
            log.error("screen not built error=%s", type(e).__name__)
            return []
        return [render(name, data)]

    def screen(self, handler_input: HandlerInput, result: TurnResult, language: Language
               ) -> tuple[str, dict[str, Any]]:
        """The document an outcome shows and its data source."""
        from skill.alexa import screens

        outcome, record, p = result.outcome, result.record, language.speech.prompts
        now = request_time_ms(handler_input)
        state = outcome.state
        plan = language.coach.plan(state) if state is not None else None
        finished = next((e for e in outcome.effects if isinstance(e, WorkoutFinished)), None)
        if plan is not None and state is not None and state.phase == PLAYING and state.response_at_ms == now:
            done = self._done(result, language, plan, state, now, finished) if finished else None
            panels = screens.workout_panels(language.speech, plan, state, outcome.speech, done)
            return "workout", screens.workout_data(p, plan, panels)
        shown = outcome.shown
        if isinstance(shown, Explained):
            ex = language.content.exercises[shown.exercise]
            return "card", screens.card(ex.name, ex.setup, ex.cues, " ".join(ex.cautions))
        if isinstance(shown, WeekShown):
            return "summary", self._week(record, language, now)
        if plan is not None and state is not None and (finished is not None or isinstance(shown, Concluded)):
            return "summary", self._done(result, language, plan, state, now, finished)
        if isinstance(shown, PairingCode):
            return "card", screens.card(p.SCREEN_PAIR, " ".join(shown.code), hint=p.SCREEN_PAIR_HINT)
        if plan is not None and state is not None and state.phase != FINISHED:
            index = plan.index(state.position) or 0
            panel = screens.still_panel(p, plan, index, state)
            return "workout", screens.workout_data(p, plan, [panel], paused=state.phase == PAUSED)
        return "card", screens.card(p.SCREEN_HOME, p.SCREEN_HOME_HINT)

    # -- what was done ------------------------------------------------------------------------------------------

    def _week(self, record: PersonRecord, language: Language, now: int) -> dict[str, Any]:
        from skill.alexa import screens

        p = language.speech.prompts
        days = language.content.default_workout.days_per_week
        last = record.history[-1] if record.history else None
        line = p.SCREEN_NO_WORKOUTS
        if last is not None:
            workout = language.content.workouts.get(last.workout)
            line = p.SCREEN_LAST_WORKOUT.format(workout=workout.name if workout else last.workout, sets=last.sets)
        return screens.summary(p.SCREEN_THIS_WEEK, [line], screens.week(p, record.history, now, days,
                                                                         record.local_zone))

    def _done(self, result: TurnResult, language: Language, plan: Plan, state: WorkoutState, now: int,
              finished: WorkoutFinished | None) -> dict[str, Any]:
        """A finished workout: its log (made once, carried by the effect; or the record's last entry when the
        person asks after the fact), the heart rate the watch sent, and the week."""
        from skill.alexa import screens

        p, record = language.speech.prompts, result.record
        if finished is not None:
            active = finished.log.active_ms if finished.log else 0
            sets = finished.log.moves if finished.log else 0
        else:  # asked after the fact: the log kept when it finished
            kept = self.stores.logs.log(result.who.person_key, state.started_at_ms) or {}
            active = sum(int(s.get("duration_ms", 0)) for s in kept.get("sets", []))
            sets = sum(1 for s in kept.get("sets", []) if s.get("kind") == "move")
        heart = self._heart(result, record, state, now)
        lines = screens.done_lines(p, active, sets, heart)
        return screens.summary(p.SCREEN_DONE, lines, screens.week(p, record.history, now, plan.workout.days_per_week,
                                                                   record.local_zone))

    def _heart(self, result: TurnResult, record: PersonRecord, state: WorkoutState, now: int) -> list[int]:
        """The heart rate the paired watch sent during the workout; none without a watch."""
        samples = self.stores.samples
        if not record.paired or samples is None:
            return []
        try:
            found = samples.recent_samples(result.who.person_key, state.started_at_ms)
        except Exception as e:  # noqa: BLE001 - the summary goes without it
            log.error("heart rate not read error=%s", type(e).__name__)
            return []
        return [bpm for t, bpm in found if t <= max(now, state.finished_at_ms)]


def render(name: str, data: dict[str, Any]) -> RenderDocumentDirective:
    from ask_sdk_model.interfaces.alexa.presentation.apl import RenderDocumentDirective

    return RenderDocumentDirective(token=f"{TOKEN}.{name}", document=document(name), datasources={"coach": data})
