"""Thin request handlers: each turns an Alexa request into an engine command and the outcome into a response."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, is_request_type
from ask_sdk_model import Response
from ask_sdk_model.ui import LinkAccountCard

from skill.alexa.requests import number_slot, slot, user_key
from skill.alexa.turns import TurnRunner
from skill.content.lookup import find_equipment, find_exercise, find_workout
from skill.content.schema import Content
from skill.engine.commands import Cmd, Command, Outcome
from skill.speech import prompts
from skill.speech.ssml import Speech

log = logging.getLogger("backcoach.turn")

# Intents that carry no slots, and the engine command each one is.
SIMPLE_INTENTS: dict[str, Cmd] = {
    "AMAZON.NextIntent": Cmd.NEXT,
    "AMAZON.PreviousIntent": Cmd.PREVIOUS,
    "AMAZON.RepeatIntent": Cmd.REPEAT,
    "AMAZON.PauseIntent": Cmd.PAUSE,
    "AMAZON.ResumeIntent": Cmd.RESUME,
    "AMAZON.StartOverIntent": Cmd.START_OVER,
    "AMAZON.HelpIntent": Cmd.HELP,
    "AMAZON.StopIntent": Cmd.STOP,
    "AMAZON.CancelIntent": Cmd.STOP,
    "AMAZON.NavigateHomeIntent": Cmd.STOP,
    "AMAZON.FallbackIntent": Cmd.FALLBACK,
    "SkipExerciseIntent": Cmd.SKIP,
    "WorkoutStatusIntent": Cmd.STATUS,
    "PairWatchIntent": Cmd.PAIR,
    "UnpairWatchIntent": Cmd.UNPAIR,
    "WorkoutHistoryIntent": Cmd.HISTORY,
    "UploadWorkoutIntent": Cmd.UPLOAD,
    "AMAZON.YesIntent": Cmd.YES,
    "AMAZON.NoIntent": Cmd.NO,
}
NUMBER_INTENTS: dict[str, tuple[Cmd, str]] = {
    "SetRecoveryHeartRateIntent": (Cmd.SET_RECOVERY, "BPM"),
    "SetAgeIntent": (Cmd.SET_AGE, "AGE"),
}
SLOT_INTENTS = ("StartWorkoutIntent", "ExplainExerciseIntent", *NUMBER_INTENTS)
HANDLED_INTENTS = frozenset(SIMPLE_INTENTS) | frozenset(SLOT_INTENTS)


class CommandHandler(AbstractRequestHandler):
    def __init__(
        self,
        turns: TurnRunner,
        speech: Speech,
        matches: Callable[[HandlerInput], bool],
        command: Callable[[HandlerInput], Command],
    ) -> None:
        self.turns = turns
        self.speech = speech
        self._matches = matches
        self._command = command

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return self._matches(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        command = self._command(handler_input)
        outcome = self.turns.run(handler_input, command)
        log.info("command=%s result=%s user=%s", command.name, outcome.result, user_key(handler_input))
        return respond(handler_input, self.speech, outcome)


def respond(handler_input: HandlerInput, speech: Speech, outcome: Outcome) -> Response:
    builder = handler_input.response_builder
    if is_request_type("SessionEndedRequest")(handler_input):
        return builder.response  # Alexa accepts no speech in reply to SessionEndedRequest
    if outcome.speech:
        builder.speak(speech.ssml(outcome.speech))
    if outcome.result == "link_account":
        builder.set_card(LinkAccountCard())  # the Alexa app shows the person where to link their account
    if not outcome.end_session and outcome.reprompt:
        builder.ask(speech.ssml(outcome.reprompt))
    builder.set_should_end_session(outcome.end_session)
    return builder.response


def _intent_is(names: Iterable[str]) -> Callable[[HandlerInput], bool]:
    wanted = frozenset(names)
    return lambda hi: is_request_type("IntentRequest")(hi) and get_intent_name(hi) in wanted


def _start_command(content: Content) -> Callable[[HandlerInput], Command]:
    def command(handler_input: HandlerInput) -> Command:
        workout_slot = slot(handler_input, "WORKOUT")
        equipment_slot = slot(handler_input, "EQUIPMENT")
        workout = workout_slot.resolved_id if workout_slot.resolved_id in content.workouts else ""
        if not workout and workout_slot.spoken:
            found = find_workout(content, workout_slot.spoken)
            workout = found.id if found else ""
        equipment = equipment_slot.resolved_id if equipment_slot.resolved_id in content.guide.equipment else ""
        if not equipment and equipment_slot.spoken:
            equipment = find_equipment(content, equipment_slot.spoken) or ""
        if equipment and not workout:
            workout = content.equipment_workout.id  # "I only have a band": built from what they have
        return Command(Cmd.START, workout=workout, equipment=(equipment,) if equipment else ())

    return command


def _explain_command(content: Content) -> Callable[[HandlerInput], Command]:
    def command(handler_input: HandlerInput) -> Command:
        value = slot(handler_input, "EXERCISE")
        if value.resolved_id in content.exercises:
            return Command(Cmd.EXPLAIN, exercise=value.resolved_id)
        found = find_exercise(content, value.spoken) if value.spoken else None
        return Command(Cmd.EXPLAIN, exercise=found.id if found else "", heard="" if found else value.spoken)

    return command


def _number_command(handler_input: HandlerInput) -> Command:
    name, slot_name = NUMBER_INTENTS[get_intent_name(handler_input)]
    return Command(name, number=number_slot(handler_input, slot_name))


def request_handlers(turns: TurnRunner, speech: Speech, content: Content) -> list[AbstractRequestHandler]:
    def handler(matches: Callable[[HandlerInput], bool], command: Callable[[HandlerInput], Command]) -> CommandHandler:
        return CommandHandler(turns, speech, matches, command)

    return [
        handler(is_request_type("LaunchRequest"), lambda hi: Command(Cmd.LAUNCH)),
        handler(is_request_type("SessionEndedRequest"), lambda hi: Command(Cmd.SESSION_END)),
        handler(_intent_is(["StartWorkoutIntent"]), _start_command(content)),
        handler(_intent_is(["ExplainExerciseIntent"]), _explain_command(content)),
        handler(_intent_is(SIMPLE_INTENTS), lambda hi: Command(SIMPLE_INTENTS[get_intent_name(hi)])),
        handler(_intent_is(NUMBER_INTENTS), _number_command),
        # An intent this skill does not know (a model newer than the code, or a malformed request).
        handler(is_request_type("IntentRequest"), lambda hi: Command(Cmd.FALLBACK)),
    ]


class ApologyHandler(AbstractExceptionHandler):
    """The one exception handler: a short apology; nothing is saved, so the stored position is untouched.
    In reply to a SessionEndedRequest it says nothing: Alexa accepts no speech there."""

    def can_handle(self, handler_input: HandlerInput, exception: Exception) -> bool:
        return True

    def handle(self, handler_input: HandlerInput, exception: Exception) -> Response:
        request = handler_input.request_envelope.request
        log.error(
            "unhandled error=%s request=%s user=%s",
            type(exception).__name__, getattr(request, "object_type", "?"), user_key(handler_input),
        )
        if is_request_type("SessionEndedRequest")(handler_input):
            return handler_input.response_builder.response
        return (
            handler_input.response_builder.speak(prompts.APOLOGY)
            .ask(prompts.APOLOGY_REPROMPT)
            .response
        )
