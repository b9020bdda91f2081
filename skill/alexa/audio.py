"""The continuous-audio mode's handlers: AudioPlayer and PlaybackController events, and the intents that steer
the stream. A device that lists AudioPlayer gets the audio mode unless the person chose speech; every other
device, and every other intent, goes to the speech mode's handlers unchanged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_core.utils import get_intent_name
from ask_sdk_model import Response

from skill.alexa.handlers import SIMPLE_INTENTS, _explain_command, _start_command, respond
from skill.alexa.player import Token, Voice, parse_token
from skill.alexa.requests import person_key, request_time_ms, user_key
from skill.alexa.stream_turn import StreamTurn
from skill.alexa.turns import HEART_RATE_WINDOW_MS, TurnRunner
from skill.content.schema import Content
from skill.engine import stream
from skill.engine.audio_plan import Track, find
from skill.engine.commands import Cmd, Command, Outcome
from skill.engine.effects import SettingChanged
from skill.engine.record import AUDIO, SPEECH, PersonRecord
from skill.engine.rest import Vitals, recovery_threshold
from skill.engine.script import say
from skill.engine.state import DOING, FINISHED, WorkoutState
from skill.engine.stream import NOTHING, STOP, Cue, Streamed
from skill.speech.ssml import Speech

log = logging.getLogger("backcoach.audio")

PLAYER_EVENTS = ("AudioPlayer.PlaybackStarted", "AudioPlayer.PlaybackNearlyFinished", "AudioPlayer.PlaybackFinished",
                 "AudioPlayer.PlaybackStopped", "AudioPlayer.PlaybackFailed")
CONTROLLER = ("PlaybackController.PlayCommandIssued", "PlaybackController.PauseCommandIssued",
              "PlaybackController.NextCommandIssued", "PlaybackController.PreviousCommandIssued")
LOOP_SHUFFLE = ("AMAZON.LoopOnIntent", "AMAZON.LoopOffIntent", "AMAZON.ShuffleOnIntent", "AMAZON.ShuffleOffIntent")
MODE_INTENTS = {"UseSpeechModeIntent": SPEECH, "UseAudioModeIntent": AUDIO}
STEERING = ("StartWorkoutIntent", "AMAZON.ResumeIntent", "AMAZON.PauseIntent", "AMAZON.NextIntent",
            "AMAZON.PreviousIntent", "AMAZON.RepeatIntent", "AMAZON.StartOverIntent", "AMAZON.StopIntent",
            "AMAZON.CancelIntent")
QUESTIONS = ("ExplainExerciseIntent", "WorkoutStatusIntent", "AMAZON.HelpIntent")


def _type(handler_input: HandlerInput) -> str:
    return handler_input.request_envelope.request.object_type or ""


def has_player(handler_input: HandlerInput) -> bool:
    """Whether the device can play an AudioPlayer stream (context.System.device.supportedInterfaces)."""
    context = handler_input.request_envelope.context
    device = context.system.device if context and context.system else None
    interfaces = device.supported_interfaces if device else None
    return interfaces is not None and interfaces.audio_player is not None


def player_context(handler_input: HandlerInput) -> tuple[Token | None, int, str]:
    """The token, offset and activity of context.AudioPlayer (what the device is playing or last played)."""
    context = handler_input.request_envelope.context
    player = context.audio_player if context else None
    if player is None:
        return None, 0, ""
    activity = player.player_activity.value if player.player_activity is not None else ""
    return parse_token(player.token), int(player.offset_in_milliseconds or 0), activity


class AudioMode:
    """The audio mode's decisions for one skill: reads, decides (the engine), writes, answers with directives."""

    def __init__(self, turns: TurnRunner, speech: Speech, content: Content, voice: Voice) -> None:
        self.turns = turns
        self.turn = StreamTurn(turns)
        self.coach = turns.coach
        self.speech = speech
        self.content = content
        self.voice = voice
        self.start_command = _start_command(content)
        self.explain_command = _explain_command(content)

    # -- AudioPlayer and PlaybackController events (no session, no speech) --------------------------------

    def event(self, handler_input: HandlerInput) -> Response:
        kind = _type(handler_input)
        builder = handler_input.response_builder
        if kind == "System.ExceptionEncountered":
            error = handler_input.request_envelope.request.error
            log.error("player exception user=%s error=%s", user_key(handler_input), getattr(error, "object_type", ""))
            return builder.response
        request = handler_input.request_envelope.request
        token = parse_token(getattr(request, "token", None)) if kind in PLAYER_EVENTS else player_context(
            handler_input)[0]
        if kind == "AudioPlayer.PlaybackFailed":
            log.error("playback failed user=%s token=%s", user_key(handler_input), token)
            return builder.response
        record = self.turn.load(handler_input)
        if record is None:
            return builder.response
        state, now = record.workout, request_time_ms(handler_input)
        track = self._track(state, token)
        if kind in PLAYER_EVENTS and (track is None or state is None):
            return builder.response  # a clip of an older workout, or of nothing we know: nothing to do
        decide = self._event_decision(handler_input, kind, record, track, now)
        streamed = self.turn.run(handler_input, record, decide, now)
        for directive in self.voice.directives(streamed.state, streamed.cue):
            builder.add_directive(directive)
        return builder.response

    def _event_decision(self, handler_input: HandlerInput, kind: str, record: PersonRecord, track: Track | None,
                        now: int) -> Callable[[PersonRecord], Streamed]:
        request = handler_input.request_envelope.request

        def decide(fresh: PersonRecord) -> Streamed:
            state = fresh.workout
            if kind in PLAYER_EVENTS and (state is None or track is None or self._track(state, self._token(
                    state, track)) is None):
                return Streamed(Outcome("ignored", state, ()), Cue(NOTHING))
            if kind == "AudioPlayer.PlaybackStarted":
                return stream.started(self.coach, state, track, now)
            if kind == "AudioPlayer.PlaybackNearlyFinished":
                vitals = self._vitals(handler_input, fresh, now) if stream.needs_heart_rate(
                    self.coach, state, track) else None
                return stream.nearly_finished(self.coach, state, track, vitals, now)
            if kind == "AudioPlayer.PlaybackFinished":
                return stream.finished(self.coach, state, track, now)
            if kind == "AudioPlayer.PlaybackStopped":
                return stream.stopped(self.coach, state, track, int(request.offset_in_milliseconds or 0), now)
            if kind == "PlaybackController.PauseCommandIssued":
                return Streamed(Outcome("pause", state, ()), Cue(STOP))
            if kind == "PlaybackController.PlayCommandIssued":
                return _silent(stream.resume(self.coach, state, now))
            if kind == "PlaybackController.NextCommandIssued":
                return _silent(stream.skip(self.coach, state, track, now))
            return _silent(stream.back(self.coach, state, track, now))

        return decide

    def _token(self, state: WorkoutState, track: Track) -> Token:
        return Token(state.workout, state.started_at_ms, track.step, track.part, "")

    def _track(self, state: WorkoutState | None, token: Token | None) -> Track | None:
        """The track a token names, when it belongs to the workout under way."""
        if token is None or not token.belongs_to(state) or state is None or self.coach.plan(state) is None:
            return None
        plan, _ = self.coach.placed(state)
        return find(plan, token.step, token.part)

    def _vitals(self, handler_input: HandlerInput, record: PersonRecord, now: int) -> Vitals | None:
        samples = self.turns.stores.samples
        if not record.paired or samples is None:
            return None
        try:
            recent = samples.recent_samples(person_key(handler_input), now - HEART_RATE_WINDOW_MS)
        except Exception as e:  # noqa: BLE001 - without a heart rate, the rest keeps the article's length
            log.error("heart rate read failed user=%s error=%s", user_key(handler_input), type(e).__name__)
            return None
        return Vitals(tuple(recent), recovery_threshold(record.settings.age, record.settings.recovery_bpm))

    # -- intents on a device with a player ----------------------------------------------------------------

    def intent(self, handler_input: HandlerInput, speech_mode: Callable[[], Response]) -> Response:
        record = self.turn.load(handler_input)
        if record is None:
            return respond(handler_input, self.speech, self.coach.storage_unavailable())
        name = _type(handler_input) if _type(handler_input) == "LaunchRequest" else get_intent_name(handler_input)
        if name in MODE_INTENTS:
            return self._switch(handler_input, record, MODE_INTENTS[name])
        if name in LOOP_SHUFFLE:
            return self._answer(handler_input, Streamed(Outcome("no_loop", record.workout, (say("no_loop"),),
                                                                end_session=True), Cue(NOTHING)))
        state, now = record.workout, request_time_ms(handler_input)
        token, offset, _ = player_context(handler_input)
        playing = self._track(state, token)
        under_way = state is not None and state.phase != FINISHED and self.coach.plan(state) is not None
        decide = self._intent_decision(handler_input, name, playing, offset, now)
        if record.settings.mode == SPEECH or decide is None or (name == "LaunchRequest" and not under_way) or (
                name in QUESTIONS and not (under_way and playing is not None and state.phase == DOING)):
            self.turn.keep_in_session(handler_input, record)
            return speech_mode()
        return self._answer(handler_input, self.turn.run(handler_input, record, decide, now))

    def _intent_decision(self, handler_input: HandlerInput, name: str, playing: Track | None, offset: int,
                         now: int) -> Callable[[PersonRecord], Streamed] | None:
        coach = self.coach
        if name == "StartWorkoutIntent":
            command = self.start_command(handler_input)
            return lambda r: stream.begin(coach, r.workout, command, now)
        if name == "AMAZON.StartOverIntent":
            return lambda r: stream.start_over(coach, r.workout, Command(Cmd.START_OVER), now)
        if name in ("AMAZON.ResumeIntent", "LaunchRequest"):
            return lambda r: stream.resume(coach, r.workout, now)
        if name == "AMAZON.PauseIntent":
            return lambda r: Streamed(Outcome("pause", r.workout, (), end_session=True), Cue(STOP))
        if name in ("AMAZON.StopIntent", "AMAZON.CancelIntent"):
            return lambda r: _stop(coach, r.workout)
        if name == "AMAZON.NextIntent":
            return lambda r: stream.skip(coach, r.workout, playing, now)
        if name == "AMAZON.PreviousIntent":
            return lambda r: stream.back(coach, r.workout, playing, now)
        if name == "AMAZON.RepeatIntent":
            return lambda r: stream.again(coach, r.workout, playing, now)
        if name in QUESTIONS:
            command = (self.explain_command(handler_input) if name == "ExplainExerciseIntent"
                       else Command(SIMPLE_INTENTS[name]))
            return lambda r: stream.answered(coach, r.workout, coach.handle(r.workout, command, now), offset, playing)
        return None

    def _switch(self, handler_input: HandlerInput, record: PersonRecord, mode: str) -> Response:
        state = record.workout
        streaming = state is not None and state.phase == DOING
        outcome = Outcome(f"mode_{mode}", state, (say(f"mode_{mode}"),), end_session=True,
                          effects=(SettingChanged("mode", mode),))
        cue = Cue(STOP) if mode == SPEECH and streaming else Cue(NOTHING)
        now = request_time_ms(handler_input)
        return self._answer(handler_input, self.turn.run(handler_input, record, lambda r: Streamed(outcome, cue), now))

    def _answer(self, handler_input: HandlerInput, streamed: Streamed) -> Response:
        builder = handler_input.response_builder
        outcome = streamed.outcome
        if outcome.speech:
            builder.speak(self.speech.ssml(outcome.speech))
        for directive in self.voice.directives(outcome.state, streamed.cue):
            builder.add_directive(directive)
        if not outcome.end_session and outcome.reprompt:
            builder.ask(self.speech.ssml(outcome.reprompt))
        builder.set_should_end_session(True if streamed.cue.kind != NOTHING else outcome.end_session)
        log.info("audio result=%s cue=%s user=%s", outcome.result, streamed.cue.kind, user_key(handler_input))
        return builder.response


def _silent(streamed: Streamed) -> Streamed:
    """PlaybackController responses may carry no speech."""
    from dataclasses import replace

    return replace(streamed, outcome=replace(streamed.outcome, speech=()))


def _stop(coach, state: WorkoutState | None) -> Streamed:
    """Stop and Cancel stop the audio and keep the place (PlaybackStopped brings its exact offset)."""
    if state is None or state.phase == FINISHED or coach.plan(state) is None:
        return Streamed(Outcome("stopped", state, (say("goodbye"),), end_session=True), Cue(STOP))
    plan, index = coach.placed(state)
    return Streamed(Outcome("stopped", state, (say("stopped", at=coach.where(plan, index)),), end_session=True),
                    Cue(STOP))


class PlayerEventHandler(AbstractRequestHandler):
    def __init__(self, mode: AudioMode) -> None:
        self.mode = mode

    def can_handle(self, handler_input: HandlerInput) -> bool:
        kind = _type(handler_input)
        return kind in PLAYER_EVENTS or kind in CONTROLLER or kind == "System.ExceptionEncountered"

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.mode.event(handler_input)


class PlayerIntentHandler(AbstractRequestHandler):
    """Intents on a device with a player; whatever the audio mode does not take goes to `speech_mode`."""

    def __init__(self, mode: AudioMode, speech_mode: Callable[[HandlerInput], Response]) -> None:
        self.mode = mode
        self.speech_mode = speech_mode

    def can_handle(self, handler_input: HandlerInput) -> bool:
        kind = _type(handler_input)
        if not has_player(handler_input):
            return False
        if kind == "LaunchRequest":
            return True
        if kind != "IntentRequest":
            return False
        name = get_intent_name(handler_input)
        return name in STEERING or name in LOOP_SHUFFLE or name in MODE_INTENTS or name in QUESTIONS

    def handle(self, handler_input: HandlerInput) -> Response:
        return self.mode.intent(handler_input, lambda: self.speech_mode(handler_input))


def audio_handlers(mode: AudioMode, speech_mode: Callable[[HandlerInput], Response]) -> list[AbstractRequestHandler]:
    return [PlayerEventHandler(mode), PlayerIntentHandler(mode, speech_mode)]
