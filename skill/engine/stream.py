"""The audio mode's decisions: what an AudioPlayer event or a spoken command does to the stream and the state.

Each function returns a `Streamed`: the engine's usual Outcome (result, new state, words to say before the
stream, effects) and a `Cue` for the player (play from a track at an offset, enqueue the next one, stop, or
nothing). The directives themselves are built by the Alexa layer. Pure.

While the stream plays the state's phase is `doing`, at the step and track now playing; a stop leaves it
`paused` with the exact offset AudioPlayer reported.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from skill.engine.audio_plan import INTRO, MAIN, Track, after, find, first_track, rested_seconds, step_tracks
from skill.engine.commands import Command, Outcome
from skill.engine.effects import Effect, WorkoutFinished
from skill.engine.plan import MOVE, REST, Plan, build_plan
from skill.engine.rest import Vitals, decide_rest
from skill.engine.script import Prompt, say
from skill.engine.state import DOING, FINISHED, PAUSED, Done, WorkoutState
from skill.engine.workout import abandoned, chosen_equipment, chosen_workout

if TYPE_CHECKING:
    from skill.engine.coach import Coach

PLAY, ENQUEUE, STOP, NOTHING = "play", "enqueue", "stop", "nothing"
RESUME_BACK_MS = 2_000  # a resumed clip starts this far before where it stopped
LONG_PAUSE_MS = 60_000  # after a pause this long, say where the person is before the stream goes on
State = WorkoutState | None


@dataclass(frozen=True)
class Cue:
    kind: str  # PLAY (replacing everything), ENQUEUE, STOP or NOTHING
    track: Track | None = None
    offset_ms: int = 0
    previous: Track | None = None  # ENQUEUE: the track that must be playing (its token is expectedPreviousToken)


@dataclass(frozen=True)
class Streamed:
    outcome: Outcome
    cue: Cue

    @property
    def state(self) -> WorkoutState | None:
        return self.outcome.state


def _same(state: State, result: str = "unchanged", speech: tuple[Prompt, ...] = ()) -> Outcome:
    return Outcome(result, state, speech, end_session=True)


def current(coach: Coach, state: WorkoutState) -> tuple[Plan, Track]:
    """The plan of a state under way, and the track at its place (the step's first when none is recorded)."""
    plan, index = coach.placed(state)
    return plan, find(plan, state.position, state.track) or first_track(plan, index)


def begin(coach: Coach, state: State, command: Command, now_ms: int) -> Streamed:
    """"Start my back workout": the same workout under way goes on where it was; anything else starts afresh."""
    workout_id = chosen_workout(coach, command)
    equipment = chosen_equipment(coach, command, workout_id)
    if (state is not None and state.phase != FINISHED and coach.plan(state) is not None
            and (state.workout, state.equipment) == (workout_id, equipment) and coach.position(state) > 0):
        return resume(coach, state, now_ms)
    plan = build_plan(coach.content, workout_id, equipment)
    if not plan.steps:
        return Streamed(_same(state, "no_exercises", (say("no_exercises", equipment=list(equipment)),)), Cue(NOTHING))
    fresh = WorkoutState(workout=workout_id, position=plan.steps[0].id, equipment=equipment, phase=PAUSED,
                         started_at_ms=now_ms, updated_at_ms=now_ms, track=INTRO)
    outcome = Outcome("stream_started", fresh, (), end_session=True, effects=abandoned(coach, state))
    return Streamed(outcome, Cue(PLAY, first_track(plan, 0, intro=True)))


def resume(coach: Coach, state: State, now_ms: int, offset_ms: int | None = None) -> Streamed:
    """Play on from the saved place (or `offset_ms` into the current track), a couple of seconds back; after a
    long pause, say where first."""
    if state is None or state.phase == FINISHED:
        return Streamed(_none_under_way(coach, state), Cue(NOTHING))
    _, track = current(coach, state)
    offset = state.offset_ms if offset_ms is None else offset_ms
    speech: tuple[Prompt, ...] = ()
    if now_ms - state.updated_at_ms > LONG_PAUSE_MS:
        speech = (say("audio_resume", at=track.at),)
    return Streamed(_same(state, "stream_resumed", speech), Cue(PLAY, track, max(0, offset - RESUME_BACK_MS)))


def _none_under_way(coach: Coach, state: State) -> Outcome:
    if state is not None and state.phase == FINISHED:
        return _same(state, "finished_status", (say("workout_done", workout=coach.plan(state).workout.name),))
    return _same(state, "no_workout", (say("no_workout"),))


def started(coach: Coach, state: WorkoutState, track: Track, now_ms: int) -> Streamed:
    """PlaybackStarted: the person is now at `track`. A new step logs the one before it as done."""
    new = replace(state, phase=DOING, position=track.step, track=track.part, offset_ms=0, updated_at_ms=now_ms)
    if track.step != state.position or not state.step_started_ms:
        if state.step_started_ms and state.position != track.step:
            length = max(0, now_ms - state.step_started_ms)
            new = replace(new, done=(*state.done, Done(state.position, state.step_started_ms, length)))
        new = replace(new, step_started_ms=now_ms)
    return Streamed(_same(new, "stream_at"), Cue(NOTHING))


def nearly_finished(coach: Coach, state: WorkoutState, track: Track, vitals: Vitals | None, now_ms: int) -> Streamed:
    """PlaybackNearlyFinished: enqueue what follows `track`. At the end of a rest's hold or of an extra rest, the
    heart decides: fifteen more seconds while it has not come down (up to the cap), else the count-in. With no
    fresh heart rate the rest keeps the article's length."""
    plan, _ = current(coach, state)
    extra = False
    if vitals is not None and needs_heart_rate(coach, state, track):
        decision = decide_rest(vitals, now_ms, rested_seconds(plan, track))
        extra = decision is not None and decision.extra_seconds > 0
    following = after(plan, track, extra_rest=extra)
    if following is None:
        return Streamed(_same(state), Cue(NOTHING))
    return Streamed(_same(state, "rest_extended" if extra else "enqueued"), Cue(ENQUEUE, following, 0, track))


def needs_heart_rate(coach: Coach, state: WorkoutState, track: Track) -> bool:
    """Whether the decision after `track` reads the heart rate (a rest's hold or an extra rest)."""
    plan, _ = current(coach, state)
    step = plan.steps[plan.index(track.step) or 0]
    return step.kind == REST and (track.part == MAIN or track.extra > 0)


def stopped(coach: Coach, state: WorkoutState, track: Track, offset_ms: int, now_ms: int) -> Streamed:
    """PlaybackStopped: the exact place, saved (the step, the track and the offset in it)."""
    new = replace(state, phase=PAUSED, position=track.step, track=track.part, offset_ms=max(0, offset_ms),
                  updated_at_ms=now_ms)
    return Streamed(_same(new, "stream_stopped"), Cue(NOTHING))


def finished(coach: Coach, state: WorkoutState, track: Track, now_ms: int) -> Streamed:
    """PlaybackFinished: after the last track, the workout is done (logged once, counted in the history)."""
    plan, _ = current(coach, state)
    if after(plan, track) is not None:
        return Streamed(_same(state), Cue(NOTHING))
    done = state.done
    if state.step_started_ms:
        done = (*done, Done(track.step, state.step_started_ms, max(0, now_ms - state.step_started_ms)))
    final = replace(state.at(plan.steps[-1].id, FINISHED), done=done, updated_at_ms=now_ms,
                    finished_at_ms=state.finished_at_ms or now_ms)
    effects: tuple[Effect, ...] = (WorkoutFinished(final),)
    return Streamed(Outcome("finished", final, (), end_session=True, effects=effects), Cue(NOTHING))


def skip(coach: Coach, state: State, track: Track | None, now_ms: int) -> Streamed:
    """Next: the start of the next step (a rest skipped goes straight to the move after it)."""
    if state is None or state.phase == FINISHED:
        return Streamed(_none_under_way(coach, state), Cue(NOTHING))
    plan, here = current(coach, state)
    i = plan.index((track or here).step) or 0
    j = i + 1  # from a move to the rest after it; from a rest to the next move
    if j >= len(plan.steps):
        return Streamed(_same(state), Cue(PLAY, step_tracks(plan, i)[-1]))  # the closing words
    return Streamed(_same(state, "stream_next"), Cue(PLAY, first_track(plan, j)))


def back(coach: Coach, state: State, track: Track | None, now_ms: int) -> Streamed:
    """Previous: the start of the move before this one (or this one's start, at the first move)."""
    if state is None or state.phase == FINISHED:
        return Streamed(_none_under_way(coach, state), Cue(NOTHING))
    plan, here = current(coach, state)
    i = plan.index((track or here).step) or 0
    earlier = [j for j in range(i - 1, -1, -1) if plan.steps[j].kind == MOVE]
    return Streamed(_same(state, "stream_previous"), Cue(PLAY, first_track(plan, earlier[0] if earlier else i)))


def again(coach: Coach, state: State, track: Track | None, now_ms: int) -> Streamed:
    """Repeat: the current track from its start."""
    if state is None or state.phase == FINISHED:
        return Streamed(_none_under_way(coach, state), Cue(NOTHING))
    _, here = current(coach, state)
    return Streamed(_same(state, "stream_repeat"), Cue(PLAY, track or here))


def start_over(coach: Coach, state: State, command: Command, now_ms: int) -> Streamed:
    if state is not None:
        command = replace(command, workout=state.workout, equipment=state.equipment)
    fresh_start = begin(coach, None, command, now_ms)
    effects = abandoned(coach, state) + fresh_start.outcome.effects
    return replace(fresh_start, outcome=replace(fresh_start.outcome, effects=effects))


def answered(coach: Coach, state: State, answer: Outcome, offset_ms: int | None, playing: Track | None) -> Streamed:
    """A question asked while the stream plays: the answer, then the stream again where it was, a little back."""
    if state is None or state.phase == FINISHED or playing is None:
        return Streamed(replace(answer, state=state, end_session=answer.end_session), Cue(NOTHING))
    offset = max(0, (offset_ms or 0) - RESUME_BACK_MS)
    speech = tuple(p for p in answer.speech if p.key != "back_to_workout")  # no need: the stream goes on
    return Streamed(Outcome("answered_in_stream", state, speech, end_session=True), Cue(PLAY, playing, offset))
