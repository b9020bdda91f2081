"""The audio mode's actions: what an AudioPlayer event, a player button or a spoken command does to the stream and
the state. They are rows of the one transition table (skill.engine.transitions), picked by the same phases and
conditions as the speech mode's, and each returns the engine's usual Outcome with a `Cue` for the player (play
from a track at an offset, enqueue the next one, stop, or nothing). Pure.

While the stream plays, the state's phase is `doing`, at the step and track now playing; a stop leaves it
`paused` with the exact offset the player reported.
"""

from __future__ import annotations

from dataclasses import replace

from skill.engine.audio_plan import INTRO, MAIN, Track, after, find, first_track, rested_seconds, step_tracks
from skill.engine.coach import Coach
from skill.engine.commands import Cmd, Outcome, Played
from skill.engine.context import Context
from skill.engine.cues import ENQUEUE, NOTHING_CUE, PLAY, STOP_CUE, Cue
from skill.engine.effects import SettingChanged
from skill.engine.plan import MOVE, REST, Plan, build_plan
from skill.engine.record import AUDIO, SPEECH
from skill.engine.replies import Action, abandoned, workout_finished
from skill.engine.rest import decide_rest
from skill.engine.script import P, Prompt, say
from skill.engine.state import DOING, FINISHED, PAUSED, Done, WorkoutState
from skill.engine.workout import chosen_equipment, chosen_workout

RESUME_BACK_MS = 2_000  # a resumed clip starts this far before where it stopped
LONG_PAUSE_MS = 60_000  # after a pause this long, say where the person is before the stream goes on
State = WorkoutState | None


def _same(state: State, result: str = "unchanged", speech: tuple[Prompt, ...] = (), cue: Cue = NOTHING_CUE,
          ) -> Outcome:
    return Outcome(result, state, speech, end_session=True, cue=cue)


def current(coach: Coach, state: WorkoutState) -> tuple[Plan, Track]:
    """The plan of a state under way, and the track at its place (the step's first when none is recorded)."""
    plan, index = coach.placed(state)
    return plan, find(plan, state.position, state.track) or first_track(plan, index)


def played_track(coach: Coach, state: State, ctx: Context) -> Track | None:
    """The track the request names (an event's clip, or what the device's player holds), when it belongs to
    the workout under way."""
    played = ctx.command.played
    if played is None or state is None or not played.belongs_to(state) or coach.plan(state) is None:
        return None
    plan, _ = coach.placed(state)
    return find(plan, played.step, played.part)


# -- spoken commands ----------------------------------------------------------------------------------------

def begin(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """"Start my back workout": the same workout under way goes on where it was; anything else starts afresh."""
    workout_id = chosen_workout(coach, ctx)
    equipment = chosen_equipment(coach, ctx, workout_id)
    if (state is not None and state.phase != FINISHED and coach.plan(state) is not None
            and (state.workout, state.equipment) == (workout_id, equipment) and coach.position(state) > 0):
        return resume(coach, state, ctx, now_ms)
    plan = build_plan(coach.content, workout_id, equipment)
    if not plan.steps:
        return _same(state, "no_exercises", (say(P.NO_EXERCISES, equipment=list(equipment)),))
    fresh = WorkoutState(workout=workout_id, position=plan.steps[0].id, equipment=equipment, phase=PAUSED,
                         started_at_ms=now_ms, updated_at_ms=now_ms, track=INTRO)
    return Outcome("stream_started", fresh, (), end_session=True, effects=abandoned(coach, state, ctx, now_ms),
                   cue=Cue(PLAY, first_track(plan, 0, intro=True)))


def start_over(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    command = ctx.command
    if state is not None:
        command = replace(command, workout=state.workout, equipment=state.equipment)
    fresh = begin(coach, None, replace(ctx, command=command), now_ms)
    return replace(fresh, effects=abandoned(coach, state, ctx, now_ms) + fresh.effects)


def resume(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """Play on from the saved place, a couple of seconds back; after a long pause, say where first."""
    if state is None or state.phase == FINISHED:
        return _none_under_way(coach, state)
    _, track = current(coach, state)
    speech: tuple[Prompt, ...] = ()
    if now_ms - state.updated_at_ms > LONG_PAUSE_MS:
        speech = (say(P.AUDIO_RESUME, at=track.at),)
    return _same(state, "stream_resumed", speech, Cue(PLAY, track, max(0, state.offset_ms - RESUME_BACK_MS)))


def pause(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """"Alexa, pause": the stream stops; PlaybackStopped brings the exact place, which is saved then."""
    return _same(state, "pause", cue=STOP_CUE)


def stop(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """Stop and Cancel stop the audio and keep the place (PlaybackStopped brings its exact offset)."""
    if state is None or state.phase == FINISHED or coach.plan(state) is None:
        return _same(state, "stopped", (say(P.GOODBYE),), STOP_CUE)
    plan, index = coach.placed(state)
    return _same(state, "stopped", (say(P.STOPPED, at=coach.where(plan, index)),), STOP_CUE)


def skip(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """Next: the start of the next step (a rest skipped goes straight to the move after it)."""
    if state is None or state.phase == FINISHED:
        return _none_under_way(coach, state)
    plan, here = current(coach, state)
    i = plan.index((played_track(coach, state, ctx) or here).step) or 0
    j = i + 1  # from a move to the rest after it; from a rest to the next move
    if j >= len(plan.steps):
        return _same(state, cue=Cue(PLAY, step_tracks(plan, i)[-1]))  # the closing words
    return _same(state, "stream_next", cue=Cue(PLAY, first_track(plan, j)))


def back(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """Previous: the start of the move before this one (or this one's start, at the first move)."""
    if state is None or state.phase == FINISHED:
        return _none_under_way(coach, state)
    plan, here = current(coach, state)
    i = plan.index((played_track(coach, state, ctx) or here).step) or 0
    earlier = [j for j in range(i - 1, -1, -1) if plan.steps[j].kind == MOVE]
    return _same(state, "stream_previous", cue=Cue(PLAY, first_track(plan, earlier[0] if earlier else i)))


def again(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """Repeat: the current track from its start."""
    if state is None or state.phase == FINISHED:
        return _none_under_way(coach, state)
    _, here = current(coach, state)
    return _same(state, "stream_repeat", cue=Cue(PLAY, played_track(coach, state, ctx) or here))


def answering(answer: Action) -> Action:
    """A question asked while the stream plays (how do I do this, where am I, help): the speech mode's answer,
    then the stream again where it was, a little back."""

    def action(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
        answered = answer(coach, state, ctx, now_ms)
        playing = played_track(coach, state, ctx)
        assert playing is not None and ctx.command.played is not None  # the row's condition
        speech = tuple(p for p in answered.speech if p.key != P.BACK_TO_WORKOUT)  # no need: the stream goes on
        offset = max(0, ctx.command.played.offset_ms - RESUME_BACK_MS)
        return replace(answered, result="answered_in_stream", state=state, speech=speech, reprompt=(),
                       end_session=True, cue=Cue(PLAY, playing, offset))

    action.__name__ = f"answering_{getattr(answer, '__name__', 'question')}"
    return action


def no_loop(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    return _same(state, "no_loop", (say(P.NO_LOOP),))


def use_mode(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """"Use speech mode" / "use audio mode": remembered; a stream playing stops when speech mode is chosen."""
    mode = AUDIO if ctx.name is Cmd.USE_AUDIO else SPEECH
    streaming = state is not None and state.phase == DOING
    cue = STOP_CUE if mode == SPEECH and streaming else NOTHING_CUE
    said = P.MODE_AUDIO if mode == AUDIO else P.MODE_SPEECH
    return Outcome(f"mode_{mode}", state, (say(said),), end_session=True, effects=(SettingChanged("mode", mode),),
                   cue=cue)


def _none_under_way(coach: Coach, state: State) -> Outcome:
    if state is not None and state.phase == FINISHED:
        name = coach.content.workouts[state.workout].name
        return _same(state, "finished_status", (say(P.WORKOUT_DONE, workout=name),))
    return _same(state, "no_workout", (say(P.NO_WORKOUT),))


# -- the player's events and buttons (no session, no speech) -------------------------------------------------

def started(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """PlaybackStarted: the person is now at the clip's track. A new step logs the one before it as done. Not
    written (`durable=False`): the events and commands that follow name their clip, and `caught_up` rebuilds
    this from them, so a workout costs a write at its start, at each stop or command, and at its end."""
    track = played_track(coach, state, ctx)
    assert state is not None and track is not None  # the row's condition
    new = replace(state, phase=DOING, position=track.step, track=track.part, offset_ms=0, updated_at_ms=now_ms)
    if track.step != state.position or not state.step_started_ms:
        if state.step_started_ms and state.position != track.step:
            length = max(0, now_ms - state.step_started_ms)
            new = replace(new, done=(*state.done, Done(state.position, state.step_started_ms, length)))
        new = replace(new, step_started_ms=now_ms)
    return replace(_same(new, "stream_at"), durable=False)


def caught_up(coach: Coach, state: WorkoutState, played: Played, now_ms: int) -> WorkoutState:
    """The stored state brought up to the clip a request names (an event's, or the player's), since the clip
    starts are not written: each step passed is logged as done, its length its clips' share of the time that went
    by (so the log ends where the clip began); a clip of the stored step that is playing makes the phase `doing`.
    A clip behind the stored step, or of another workout, changes nothing: the row decides."""
    if not played.belongs_to(state) or state.phase == FINISHED or coach.plan(state) is None:
        return state
    plan, _ = coach.placed(state)
    here, there = plan.index(state.position), plan.index(played.step)
    if here is None or there is None or there < here:
        return state
    began = state.step_started_ms or state.updated_at_ms
    clip_began = max(began, now_ms - max(0, played.offset_ms))
    if there == here:
        if not played.playing or state.phase == DOING:
            return state
        return replace(state, phase=DOING, track=played.part, step_started_ms=state.step_started_ms or clip_began)
    spoken = [sum(coach.measure(t.prompts).seconds for t in step_tracks(plan, i)) for i in range(here, there)]
    scale = (clip_began - began) / sum(spoken) if sum(spoken) > 0 else 0.0
    done, at = list(state.done), began
    for i, seconds in zip(range(here, there), spoken, strict=True):
        length = int(seconds * scale)  # scale: ms of real time per second of speech
        done.append(Done(plan.steps[i].id, at, length))
        at += length
    return replace(state, phase=DOING, position=played.step, track=played.part, offset_ms=0,
                   step_started_ms=clip_began, done=tuple(done))


def nearly_finished(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """PlaybackNearlyFinished: enqueue what follows the clip. At the end of a rest's hold or of an extra rest,
    the heart decides: fifteen more seconds while it has not come down (up to the cap), else the count-in. With
    no fresh heart rate the rest keeps the article's length."""
    track = played_track(coach, state, ctx)
    assert state is not None and track is not None
    plan, _ = current(coach, state)
    extra = False
    if ctx.vitals is not None and needs_heart_rate(coach, state, track):
        decision = decide_rest(ctx.vitals, now_ms, rested_seconds(plan, track))
        extra = decision is not None and decision.extra_seconds > 0
    following = after(plan, track, extra_rest=extra)
    if following is None:
        return _same(state)
    return _same(state, "rest_extended" if extra else "enqueued", cue=Cue(ENQUEUE, following, 0, track))


def needs_heart_rate(coach: Coach, state: WorkoutState, track: Track) -> bool:
    """Whether the decision after `track` reads the heart rate (a rest's hold or an extra rest)."""
    plan, _ = current(coach, state)
    step = plan.steps[plan.index(track.step) or 0]
    return step.kind == REST and (track.part == MAIN or track.extra > 0)


def stopped(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """PlaybackStopped: the exact place, saved (the step, the track and the offset in it)."""
    track = played_track(coach, state, ctx)
    assert state is not None and track is not None and ctx.command.played is not None
    new = replace(state, phase=PAUSED, position=track.step, track=track.part,
                  offset_ms=max(0, ctx.command.played.offset_ms), updated_at_ms=now_ms)
    return _same(new, "stream_stopped")


def finished(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """PlaybackFinished: after the last track, the workout is done (logged once, counted in the history)."""
    track = played_track(coach, state, ctx)
    assert state is not None and track is not None
    plan, _ = current(coach, state)
    if after(plan, track) is not None:
        return _same(state)
    assert ctx.command.played is not None
    state = caught_up(coach, state, ctx.command.played, now_ms)
    done = state.done
    if state.step_started_ms:
        done = (*done, Done(track.step, state.step_started_ms, max(0, now_ms - state.step_started_ms)))
    final = replace(state.at(plan.steps[-1].id, FINISHED), done=done, updated_at_ms=now_ms,
                    finished_at_ms=state.finished_at_ms or now_ms)
    return Outcome("finished", final, (), end_session=True, effects=(workout_finished(plan, final, ctx, now_ms),))


def failed(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """PlaybackFailed: nothing to do but say so in the log (the person can resume)."""
    return _same(state, "playback_failed")


def ignored(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """An event about a clip of an older workout, or of nothing this skill knows."""
    return _same(state, "ignored")


def silent(action: Action) -> Action:
    """A button's answer: the action's, with no speech (a PlaybackController response may carry none)."""

    def button(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
        return replace(action(coach, state, ctx, now_ms), speech=(), reprompt=())

    button.__name__ = f"silent_{getattr(action, '__name__', 'action')}"
    return button
