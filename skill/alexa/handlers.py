"""Thin request handlers: each turns an Alexa request into an engine command and the outcome into a response."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from ask_sdk_core.dispatch_components import AbstractExceptionHandler, AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name, is_request_type
from ask_sdk_model import Response
from ask_sdk_model.ui import AskForPermissionsConsentCard, LinkAccountCard, SimpleCard

from skill.alexa.apl import Screens, is_touch, touch_command
from skill.alexa.requests import number_slot, slot, time_slot, user_key
from skill.alexa.turns import TurnRunner
from skill.content.lookup import find_equipment, find_exercise, find_letter, find_workout
from skill.content.schema import Content
from skill.engine.commands import Cmd, Command, Outcome
from skill.speech import prompts
from skill.speech.ssml import Speech

if TYPE_CHECKING:
    from skill.alexa.audio import AudioMode

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
    "WeekProgressIntent": Cmd.WEEK,
    "ReadyIntent": Cmd.READY,
    "SlowerIntent": Cmd.SLOWER,
    "FasterIntent": Cmd.FASTER,
    "WhatsNextIntent": Cmd.WHATS_NEXT,
    "TimeLeftIntent": Cmd.TIME_LEFT,
    "PainIntent": Cmd.PAIN,
    "StopRemindersIntent": Cmd.STOP_REMINDING,
}
EXERCISE_INTENTS: dict[str, Cmd] = {
    "MoveEasyIntent": Cmd.EASY, "MakeItEasierIntent": Cmd.EASIER, "MakeItHarderIntent": Cmd.HARDER,
    "CantDoIntent": Cmd.CANT_DO, "MusclesIntent": Cmd.MUSCLES,
}
NUMBER_INTENTS: dict[str, tuple[Cmd, str]] = {
    "SetRecoveryHeartRateIntent": (Cmd.SET_RECOVERY, "BPM"),
    "SetAgeIntent": (Cmd.SET_AGE, "AGE"),
}
SLOT_INTENTS = ("StartWorkoutIntent", "ExplainExerciseIntent", "SetReminderIntent", "EquipmentIntent", *NUMBER_INTENTS,
                *EXERCISE_INTENTS)
# The audio mode's own intents (skill.alexa.audio); without a player they get the fallback answer.
AUDIO_INTENTS = frozenset({"UseSpeechModeIntent", "UseAudioModeIntent", "AMAZON.LoopOnIntent", "AMAZON.LoopOffIntent",
                           "AMAZON.ShuffleOnIntent", "AMAZON.ShuffleOffIntent"})
HANDLED_INTENTS = frozenset(SIMPLE_INTENTS) | frozenset(SLOT_INTENTS) | AUDIO_INTENTS


class CommandHandler(AbstractRequestHandler):
    def __init__(
        self,
        turns: TurnRunner,
        speech: Speech,
        matches: Callable[[HandlerInput], bool],
        command: Callable[[HandlerInput], Command],
        screens: Screens | None = None,
    ) -> None:
        self.turns = turns
        self.speech = speech
        self.screens = screens
        self._matches = matches
        self._command = command

    def can_handle(self, handler_input: HandlerInput) -> bool:
        return self._matches(handler_input)

    def handle(self, handler_input: HandlerInput) -> Response:
        command = self._command(handler_input)
        outcome = self.turns.run(handler_input, command)
        log.info("command=%s result=%s user=%s", command.name, outcome.result, user_key(handler_input))
        return respond(handler_input, self.speech, outcome, self.screens)


def respond(handler_input: HandlerInput, speech: Speech, outcome: Outcome, screens: Screens | None = None) -> Response:
    builder = handler_input.response_builder
    if is_request_type("SessionEndedRequest")(handler_input):
        return builder.response  # Alexa accepts no speech in reply to SessionEndedRequest
    if outcome.speech:
        builder.speak(speech.ssml(outcome.speech))
    if outcome.card == "link_account":
        builder.set_card(LinkAccountCard())
    elif outcome.card == "reminders_permission":
        builder.set_card(AskForPermissionsConsentCard(permissions=[prompts.REMINDERS_PERMISSION_NAME]))
    elif outcome.card == "summary" and outcome.card_lines:
        builder.set_card(SimpleCard(title=prompts.CARD_TITLE, content=speech.card_text(outcome.card_lines)))
    if not outcome.end_session and outcome.reprompt:
        builder.ask(speech.ssml(outcome.reprompt))
    for directive in screens.directives(handler_input, outcome) if screens is not None else ():
        builder.add_directive(directive)  # a device with a screen (Alexa.Presentation.APL) only
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
        letter = slot(handler_input, "LETTER")
        said = (letter.resolved_id or letter.spoken).upper()
        if not said and not value.resolved_id:  # "how do I do the Y" heard as an exercise named "Y"
            said = find_letter(content, value.spoken)
        letters = {ex.id: ex for ex in content.exercises.values() if said and said in ex.letters}
        if letters:  # "how do I do the Y": the move with that letter, and that letter's cue
            return Command(Cmd.EXPLAIN, exercise=next(iter(letters)), letter=said)
        if value.resolved_id in content.exercises:
            return Command(Cmd.EXPLAIN, exercise=value.resolved_id)
        found = find_exercise(content, value.spoken) if value.spoken else None
        return Command(Cmd.EXPLAIN, exercise=found.id if found else "", heard="" if found else value.spoken)

    return command


def _exercise_command(content: Content) -> Callable[[HandlerInput], Command]:
    """"That was easy" / "make it easier", about the move under way or a named one."""
    def command(handler_input: HandlerInput) -> Command:
        value = slot(handler_input, "EXERCISE")
        found = value.resolved_id if value.resolved_id in content.exercises else ""
        if not found and value.spoken:
            match = find_exercise(content, value.spoken)
            found = match.id if match else ""
        return Command(EXERCISE_INTENTS[get_intent_name(handler_input)], exercise=found)

    return command


def _equipment_command(content: Content) -> Callable[[HandlerInput], Command]:
    """"I have dumbbells and a kettlebell": one or two items, "no equipment" as body weight."""
    def command(handler_input: HandlerInput) -> Command:
        found = []
        for name in ("EQUIPMENT", "EQUIPMENT_TWO"):
            value = slot(handler_input, name)
            item = value.resolved_id if value.resolved_id in content.guide.equipment else (
                find_equipment(content, value.spoken) if value.spoken else None)
            if item and item not in found:
                found.append(item)
        return Command(Cmd.EQUIPMENT, equipment=tuple(found) or ("none",))

    return command


def _remind_command(handler_input: HandlerInput) -> Command:
    days = slot(handler_input, "DAYS")
    chosen = days.resolved_id or {"weekdays": "weekdays", "every day": "daily", "daily": "daily",
                                  "weekends": "weekends"}.get(days.spoken.lower(), "")
    return Command(Cmd.REMIND, days=chosen, minute=time_slot(handler_input, "TIME"))


def _number_command(handler_input: HandlerInput) -> Command:
    name, slot_name = NUMBER_INTENTS[get_intent_name(handler_input)]
    return Command(name, number=number_slot(handler_input, slot_name))


def request_handlers(
    turns: TurnRunner, speech: Speech, content: Content, audio: AudioMode | None = None,
) -> list[AbstractRequestHandler]:
    """`audio`: the continuous-audio mode (issue 15), whose handlers come first; None leaves it out."""
    screens = Screens(turns, speech)

    def handler(matches: Callable[[HandlerInput], bool], command: Callable[[HandlerInput], Command]) -> CommandHandler:
        return CommandHandler(turns, speech, matches, command, screens)

    handlers: list[AbstractRequestHandler] = [
        handler(is_request_type("LaunchRequest"), lambda hi: Command(Cmd.LAUNCH)),
        handler(is_request_type("SessionEndedRequest"), lambda hi: Command(Cmd.SESSION_END)),
        handler(_intent_is(["StartWorkoutIntent"]), _start_command(content)),
        handler(_intent_is(["ExplainExerciseIntent"]), _explain_command(content)),
        handler(_intent_is(SIMPLE_INTENTS), lambda hi: Command(SIMPLE_INTENTS[get_intent_name(hi)])),
        handler(_intent_is(NUMBER_INTENTS), _number_command),
        handler(_intent_is(EXERCISE_INTENTS), _exercise_command(content)),
        handler(_intent_is(["EquipmentIntent"]), _equipment_command(content)),
        handler(_intent_is(["SetReminderIntent"]), _remind_command),
        handler(is_touch, touch_command),  # a button on the screen: the same command as the voice intent
        # An intent this skill does not know (a model newer than the code, or a malformed request).
        handler(is_request_type("IntentRequest"), lambda hi: Command(Cmd.FALLBACK)),
    ]
    if audio is None:
        return handlers
    from skill.alexa.audio import audio_handlers

    def speech_mode(handler_input: HandlerInput) -> Response:
        return next(h for h in handlers if h.can_handle(handler_input)).handle(handler_input)

    return [*audio_handlers(audio, speech_mode), *handlers]


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
