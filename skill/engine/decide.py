"""The engine's front door: the person's record and one request in, an outcome out, with the new record in it.

`handle` settles a response in flight on its timeline, picks the action from the transition table, folds the
outcome's effects into the record (history, settings, lessons, coaching: skill.engine.bookkeeping), adds what
follows a finished workout (the week, one progression offer, the card: skill.engine.followup) and returns it
all. A write conflict is answered by calling it again with the fresh record; nothing is copied by hand.
"""

from __future__ import annotations

from dataclasses import replace

from skill.engine import followup, stream
from skill.engine.bookkeeping import recorded
from skill.engine.coach import Coach
from skill.engine.commands import PLAYER_EVENTS, Cmd, Command, Outcome
from skill.engine.context import Context, Services
from skill.engine.record import PersonRecord
from skill.engine.state import WorkoutState
from skill.engine.transitions import dispatch

# Commands that may speak the workout (and so reach a rest the heart rate decides).
SPEAKING = frozenset({Cmd.START, Cmd.NEXT, Cmd.RESUME, Cmd.REPEAT, Cmd.PREVIOUS, Cmd.SKIP, Cmd.START_OVER,
                      Cmd.LAUNCH, Cmd.READY})
# Player events that change nothing where the person is (the next clip queued, a clip ended with another
# queued, a clip that failed to play): the stored place is not caught up for them, so they write nothing (the
# last clip's end catches up itself, in skill.engine.stream.finished).
LOOKING_AHEAD = frozenset({Cmd.PLAYBACK_NEARLY_FINISHED, Cmd.PLAYBACK_FINISHED, Cmd.PLAYBACK_FAILED})
# Commands that may finish a workout (and so offer its upload), or answer or ask for an upload.
UPLOADING = SPEAKING | {Cmd.UPLOAD, Cmd.YES, Cmd.NO}


def handle(coach: Coach, record: PersonRecord, command: Command, services: Services, now_ms: int) -> Outcome:
    """Apply `command` at `now_ms` (epoch ms) to the person's `record`. Never raises for any record or command."""
    state = workout_of(coach, record, now_ms)
    if state is not None and command.played is not None and command.name not in LOOKING_AHEAD:
        state = stream.caught_up(coach, state, command.played, now_ms)
    ctx = Context(record, command, services)
    outcome = dispatch(coach, state, ctx, now_ms)
    after = recorded(coach.content, record, outcome.state, outcome.effects, now_ms)
    followed = followup.after(coach, ctx, outcome, after, now_ms)
    added = followed.effects[len(outcome.effects):]
    return replace(followed, record=recorded(coach.content, after, followed.state, added, now_ms))


def revised(coach: Coach, record: PersonRecord, outcome: Outcome, now_ms: int) -> Outcome:
    """`outcome` replaced after the fact (the turn could not carry out one of its effects: an upload not queued,
    reminders created or refused), with the new record made again from `record` and all of its effects."""
    return replace(outcome, record=recorded(coach.content, record, outcome.state, outcome.effects, now_ms))


def workout_of(coach: Coach, record: PersonRecord, now_ms: int) -> WorkoutState | None:
    """The record's workout as of `now_ms`: a response in flight settled on its timeline; None when it no longer
    fits the content (it starts afresh)."""
    state = record.workout
    if state is not None and coach.plan(state) is None:
        return None
    return coach.settle(state, now_ms) if state is not None else None


def needs_heart_rate(coach: Coach, record: PersonRecord, command: Command, now_ms: int) -> bool:
    """Whether this request's decision may read the paired watch's heart rate: a command that speaks the workout
    (it may reach a rest), or the end of a rest's clip in the audio mode. The turn reads the samples only then."""
    if not record.paired:
        return False
    if command.name in SPEAKING:
        return True
    if command.name is not Cmd.PLAYBACK_NEARLY_FINISHED:
        return False
    state = workout_of(coach, record, now_ms)
    track = stream.played_track(coach, state, Context(record, command))
    return state is not None and track is not None and stream.needs_heart_rate(coach, state, track)


def is_player_event(command: Command) -> bool:
    return command.name in PLAYER_EVENTS
