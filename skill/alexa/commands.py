"""What an Alexa request asks, as the engine's command: intents and their slots, the screen's buttons, and the
audio player's events and buttons. One table per kind of request; nothing here decides anything."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name

from skill.alexa.player import parse_token
from skill.alexa.requests import number_slot, request_type, slot, time_slot
from skill.content.lookup import find_equipment, find_exercise, find_letter, find_workout
from skill.content.schema import Content
from skill.engine.commands import GRANTED, REFUSED, Cmd, Command, Played

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
    # The audio mode: the way workouts are coached; loop and shuffle (an AudioPlayer skill must answer them).
    "UseSpeechModeIntent": Cmd.USE_SPEECH,
    "UseAudioModeIntent": Cmd.USE_AUDIO,
    "AMAZON.LoopOnIntent": Cmd.LOOP,
    "AMAZON.LoopOffIntent": Cmd.LOOP,
    "AMAZON.ShuffleOnIntent": Cmd.LOOP,
    "AMAZON.ShuffleOffIntent": Cmd.LOOP,
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
HANDLED_INTENTS = frozenset(SIMPLE_INTENTS) | frozenset(SLOT_INTENTS)
# What the audio player reports (with the clip's token), and what its buttons ask (a remote, the Alexa app).
PLAYER_EVENTS: dict[str, Cmd] = {
    "AudioPlayer.PlaybackStarted": Cmd.PLAYBACK_STARTED,
    "AudioPlayer.PlaybackNearlyFinished": Cmd.PLAYBACK_NEARLY_FINISHED,
    "AudioPlayer.PlaybackFinished": Cmd.PLAYBACK_FINISHED,
    "AudioPlayer.PlaybackStopped": Cmd.PLAYBACK_STOPPED,
    "AudioPlayer.PlaybackFailed": Cmd.PLAYBACK_FAILED,
}
BUTTONS: dict[str, Cmd] = {
    "PlaybackController.PlayCommandIssued": Cmd.BUTTON_PLAY,
    "PlaybackController.PauseCommandIssued": Cmd.BUTTON_PAUSE,
    "PlaybackController.NextCommandIssued": Cmd.BUTTON_NEXT,
    "PlaybackController.PreviousCommandIssued": Cmd.BUTTON_PREVIOUS,
}
# What a touch on the screen asks for: the first argument of the button's SendEvent.
TOUCHES: dict[str, Cmd] = {"pause": Cmd.PAUSE, "resume": Cmd.RESUME, "next": Cmd.NEXT, "repeat": Cmd.REPEAT}
TOUCH = "Alexa.Presentation.APL.UserEvent"
# Back from a task Alexa ran for the skill: a consent or purchase answered (Connections.Response), or a session
# resumed after one (SessionResumedRequest); the reminders permission is the one consent this skill asks for.
CONNECTION_RESPONSE = "Connections.Response"
SESSION_RESUMED = "SessionResumedRequest"
REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"
CONSENT_ANSWERS = {"ACCEPTED": GRANTED, "DENIED": REFUSED, "NOT_ANSWERED": REFUSED}


def player_context(handler_input: HandlerInput) -> Played | None:
    """What the device's player holds (context.AudioPlayer), when it is a clip of this skill's."""
    context = handler_input.request_envelope.context
    player = context.audio_player if context else None
    token = parse_token(player.token) if player is not None else None
    if token is None:
        return None
    activity = getattr(player.player_activity, "value", player.player_activity)
    return Played(token.workout, token.started_at_ms, token.step, token.part, int(player.offset_in_milliseconds or 0),
                  playing=activity == "PLAYING")


def _event_clip(handler_input: HandlerInput) -> Played | None:
    """The clip an AudioPlayer event is about (its own token and offset)."""
    request = handler_input.request_envelope.request
    token = parse_token(getattr(request, "token", None))
    if token is None:
        return None
    offset = int(getattr(request, "offset_in_milliseconds", 0) or 0)
    playing = request.object_type in ("AudioPlayer.PlaybackStarted", "AudioPlayer.PlaybackNearlyFinished")
    return Played(token.workout, token.started_at_ms, token.step, token.part, offset, playing=playing)


def command_of(content: Content, handler_input: HandlerInput) -> Command | None:
    """The command a request asks, or None for a request this skill does not take."""
    kind = request_type(handler_input)
    if kind == "LaunchRequest":
        return Command(Cmd.LAUNCH, played=player_context(handler_input))
    if kind == "SessionEndedRequest":
        return Command(Cmd.SESSION_END)
    if kind in PLAYER_EVENTS:
        return Command(PLAYER_EVENTS[kind], played=_event_clip(handler_input))
    if kind in BUTTONS:
        return Command(BUTTONS[kind], played=player_context(handler_input))
    if kind == TOUCH:
        arguments = getattr(handler_input.request_envelope.request, "arguments", None) or []
        return Command(TOUCHES[arguments[0]]) if arguments and arguments[0] in TOUCHES else None
    if kind == CONNECTION_RESPONSE:
        return Command(Cmd.CONSENT, consent=_consent(getattr(handler_input.request_envelope.request, "payload", None)))
    if kind == SESSION_RESUMED:
        cause = getattr(handler_input.request_envelope.request, "cause", None)
        consent = _consent(getattr(cause, "result", None))
        return Command(Cmd.CONSENT, consent=consent) if consent else Command(Cmd.RESUMED)
    if kind != "IntentRequest":
        return None
    name = get_intent_name(handler_input)
    built = INTENTS.get(name)
    command = built(content, handler_input) if built else Command(Cmd.FALLBACK)  # a model newer than the code
    return replace(command, played=player_context(handler_input))


def _consent(payload: object) -> str:
    """GRANTED or REFUSED when `payload` answers the reminders permission ("" for anything else: a purchase,
    another task). Voice consent answers {"permissionScope": ..., "status": "ACCEPTED"}."""
    if not isinstance(payload, dict) or payload.get("permissionScope") != REMINDERS_SCOPE:
        return ""
    status = payload.get("status")
    return CONSENT_ANSWERS.get(status, "") if isinstance(status, str) else ""


def _simple(content: Content, handler_input: HandlerInput) -> Command:
    return Command(SIMPLE_INTENTS[get_intent_name(handler_input)])


def _start(content: Content, handler_input: HandlerInput) -> Command:
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


def _explain(content: Content, handler_input: HandlerInput) -> Command:
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


def _exercise(content: Content, handler_input: HandlerInput) -> Command:
    """"That was easy" / "make it easier", about the move under way or a named one."""
    value = slot(handler_input, "EXERCISE")
    found = value.resolved_id if value.resolved_id in content.exercises else ""
    if not found and value.spoken:
        match = find_exercise(content, value.spoken)
        found = match.id if match else ""
    return Command(EXERCISE_INTENTS[get_intent_name(handler_input)], exercise=found)


def _equipment(content: Content, handler_input: HandlerInput) -> Command:
    """"I have dumbbells and a kettlebell": one or two items, "no equipment" as body weight."""
    found = []
    for name in ("EQUIPMENT", "EQUIPMENT_TWO"):
        value = slot(handler_input, name)
        item = value.resolved_id if value.resolved_id in content.guide.equipment else (
            find_equipment(content, value.spoken) if value.spoken else None)
        if item and item not in found:
            found.append(item)
    return Command(Cmd.EQUIPMENT, equipment=tuple(found) or ("none",))


def _remind(content: Content, handler_input: HandlerInput) -> Command:
    days = slot(handler_input, "DAYS")
    chosen = days.resolved_id or {"weekdays": "weekdays", "every day": "daily", "daily": "daily",
                                  "weekends": "weekends"}.get(days.spoken.lower(), "")
    return Command(Cmd.REMIND, days=chosen, minute=time_slot(handler_input, "TIME"))


def _number(content: Content, handler_input: HandlerInput) -> Command:
    name, slot_name = NUMBER_INTENTS[get_intent_name(handler_input)]
    return Command(name, number=number_slot(handler_input, slot_name))


INTENTS: dict[str, Callable[[Content, HandlerInput], Command]] = {
    **dict.fromkeys(SIMPLE_INTENTS, _simple), **dict.fromkeys(EXERCISE_INTENTS, _exercise),
    **dict.fromkeys(NUMBER_INTENTS, _number), "StartWorkoutIntent": _start, "ExplainExerciseIntent": _explain,
    "EquipmentIntent": _equipment, "SetReminderIntent": _remind,
}
