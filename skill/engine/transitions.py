"""The transition table: for each command, the rows that may answer it, in order. A row names the phases it
applies in, an optional condition, and the action. The first row whose phase and condition hold answers.

Conditions are data here, as in pytransitions' conditional transitions: "an offer is open", "the workout is
stale", "the same workout is under way" decide which row answers, not `if`s hidden inside the actions.
Every command ends with an unconditional row for any phase, so every command has an answer in every state.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from skill.engine import account, answers, asides, profiles, progress, reminders, stream, week_answers, workout
from skill.engine.coach import Coach
from skill.engine.coaching import ADOPT, PROGRESS, REMINDER
from skill.engine.commands import GRANTED, REFUSED, Cmd, Outcome
from skill.engine.context import Context
from skill.engine.record import SPEECH
from skill.engine.replies import Action
from skill.engine.state import DOING, FINISHED, OFFERED, PAUSED, PLAYING, QUEUED, READY, WorkoutState
from skill.engine.timeline import is_stale

NONE = "none"  # the phase of "no workout at all"
ANY = frozenset({NONE, READY, PLAYING, DOING, PAUSED, FINISHED})
UNDER_WAY = frozenset({READY, PLAYING, DOING, PAUSED})
State = WorkoutState | None
Condition = Callable[[Coach, State, Context, int], bool]


@dataclass(frozen=True)
class Row:
    phases: frozenset[str]
    action: Action
    condition: Condition | None = None


# -- conditions ------------------------------------------------------------------------------------------

def stale(coach: Coach, state: State, ctx: Context, now_ms: int) -> bool:
    return state is not None and is_stale(state, now_ms)


def stale_on_a_new_session(coach: Coach, state: State, ctx: Context, now_ms: int) -> bool:
    return ctx.new_session and stale(coach, state, ctx, now_ms)


def same_workout_under_way(coach: Coach, state: State, ctx: Context, now_ms: int) -> bool:
    """The workout asked for is the one in progress, and the person is past its very start."""
    if state is None:
        return False
    wanted = workout.chosen_workout(coach, ctx)
    equipment = workout.chosen_equipment(coach, ctx, wanted)
    if (state.workout, state.equipment) != (wanted, equipment):
        return False
    _, index = coach.placed(state)
    return index > 0 or state.phase in (DOING, PAUSED)


def relink_due(coach: Coach, state: State, ctx: Context, now_ms: int) -> bool:
    return bool(ctx.services.relink)


def equipment_unknown(coach: Coach, state: State, ctx: Context, now_ms: int) -> bool:
    """A workout built from the person's equipment, which they have not told the coach yet: ask, once."""
    wanted = workout.chosen_workout(coach, ctx)
    return (bool(coach.content.workouts[wanted].from_exercises) and not ctx.command.equipment
            and not ctx.known_equipment and not ctx.equipment_asked)


def equipment_question_open(coach: Coach, state: State, ctx: Context, now_ms: int) -> bool:
    return ctx.equipment_asked and not ctx.known_equipment


def offer_open(coach: Coach, state: State, ctx: Context, now_ms: int) -> bool:
    return state is not None and state.upload == OFFERED


def uploads_off(coach: Coach, state: State, ctx: Context, now_ms: int) -> bool:
    return not ctx.upload_service


def already_queued(coach: Coach, state: State, ctx: Context, now_ms: int) -> bool:
    return state is not None and state.upload == QUEUED


def not_linked(coach: Coach, state: State, ctx: Context, now_ms: int) -> bool:
    return not ctx.linked


def offer_is(kind: str) -> Condition:
    """The coach's open question (kept in the record) is of this kind."""
    def condition(coach: Coach, state: State, ctx: Context, now_ms: int) -> bool:
        return ctx.coaching.offer is not None and ctx.coaching.offer.kind == kind

    condition.__name__ = f"{kind}_offer_open"
    return condition


def consent_is(answer: str) -> Condition:
    """What came back about the reminders permission (GRANTED, REFUSED)."""
    def condition(coach: Coach, state: State, ctx: Context, now_ms: int) -> bool:
        return ctx.command.consent == answer

    condition.__name__ = f"consent_{answer}"
    return condition


def first_visit_of_a_voice(coach: Coach, state: State, ctx: Context, now_ms: int) -> bool:
    """A recognised voice with nothing of its own yet, never asked about the shared history."""
    return ctx.services.person and not ctx.coaching.adopt_offered and not ctx.history and state is None


# -- the audio mode's conditions ------------------------------------------------------------------------

def has_player(coach: Coach, state: State, ctx: Context, now_ms: int) -> bool:
    """The device plays AudioPlayer streams."""
    return ctx.services.player


def audio(coach: Coach, state: State, ctx: Context, now_ms: int) -> bool:
    """The workout is coached as one stream: the device has a player and the person has not chosen speech."""
    return ctx.services.player and ctx.record.settings.mode != SPEECH


def audio_under_way(coach: Coach, state: State, ctx: Context, now_ms: int) -> bool:
    return audio(coach, state, ctx, now_ms) and state is not None and state.phase != FINISHED


def streaming(coach: Coach, state: State, ctx: Context, now_ms: int) -> bool:
    """The stream is playing a clip of the workout under way (a question gets its answer, then the stream)."""
    return (audio_under_way(coach, state, ctx, now_ms) and state is not None and state.phase == DOING
            and stream.played_track(coach, state, ctx) is not None)


def clip_of_this_workout(coach: Coach, state: State, ctx: Context, now_ms: int) -> bool:
    """A player event about a clip of the workout under way (not an older one's, nor anything else)."""
    return stream.played_track(coach, state, ctx) is not None


# -- the table -------------------------------------------------------------------------------------------

def _workout_command(*rows: Row) -> tuple[Row, ...]:
    """A command about the workout in progress: there must be one, and it must not be over."""
    return (Row(frozenset({NONE}), answers.no_workout), Row(frozenset({FINISHED}), answers.finished_status), *rows)


def _stream_event(action: Action) -> tuple[Row, ...]:
    """A player event: for a clip of the workout under way, the action; anything else is ignored."""
    return (Row(ANY, action, clip_of_this_workout), Row(ANY, stream.ignored))


TABLE: dict[Cmd, tuple[Row, ...]] = {
    Cmd.LAUNCH: (
        Row(ANY, account.relink_notice, relink_due),
        Row(UNDER_WAY, stream.resume, audio),
        Row(frozenset({NONE}), profiles.offer_adopt, first_visit_of_a_voice),
        Row(frozenset({NONE, FINISHED}), answers.welcome),
        Row(ANY, workout.offer_resume, stale),
        Row(ANY, workout.welcome_back),
    ),
    Cmd.START: (
        Row(ANY, stream.begin, audio),
        Row(UNDER_WAY, workout.offer_to_resume_in_progress, same_workout_under_way),
        Row(ANY, asides.ask_equipment, equipment_unknown),
        Row(ANY, workout.start),
    ),
    Cmd.START_OVER: (Row(ANY, stream.start_over, audio), Row(ANY, workout.start_over),),
    Cmd.NEXT: (Row(ANY, stream.skip, audio), *_workout_command(Row(ANY, workout.next_step))),
    Cmd.READY: (
        Row(frozenset({NONE}), workout.start),  # "let's go" with nothing under way: the workout begins
        Row(frozenset({FINISHED}), answers.finished_status),
        Row(ANY, workout.next_step),
    ),
    Cmd.RESUME: (Row(ANY, stream.resume, audio),
                 *_workout_command(Row(ANY, workout.offer_resume, stale_on_a_new_session), Row(ANY, workout.resume))),
    Cmd.REPEAT: (Row(ANY, stream.again, audio), *_workout_command(Row(ANY, workout.repeat))),
    Cmd.PREVIOUS: (Row(ANY, stream.back, audio), *_workout_command(Row(ANY, workout.previous))),
    Cmd.SKIP: _workout_command(Row(ANY, workout.skip)),
    Cmd.PAUSE: (Row(ANY, stream.pause, audio),
                *_workout_command(Row(frozenset({PAUSED}), workout.already_paused), Row(ANY, workout.pause))),
    Cmd.STATUS: (Row(ANY, stream.answering(answers.status), streaming), *_workout_command(Row(ANY, answers.status))),
    Cmd.EXPLAIN: (Row(ANY, stream.answering(answers.explain), streaming), Row(ANY, answers.explain)),
    Cmd.HELP: (Row(ANY, stream.answering(answers.help_), streaming), Row(ANY, answers.help_)),
    Cmd.FALLBACK: (Row(ANY, answers.fallback),),
    Cmd.STOP: (Row(ANY, stream.stop, audio), Row(ANY, workout.stop)),
    Cmd.SESSION_END: (Row(ANY, workout.session_end),),
    Cmd.PAIR: (Row(ANY, account.pair),),
    Cmd.UNPAIR: (Row(ANY, account.unpair),),
    Cmd.SET_RECOVERY: (Row(ANY, account.set_recovery),),
    Cmd.SET_AGE: (Row(ANY, account.set_age),),
    Cmd.HISTORY: (Row(ANY, account.history),),
    Cmd.UPLOAD: (
        Row(ANY, account.uploads_unavailable, uploads_off),
        Row(ANY - {FINISHED}, account.upload_nothing),
        Row(ANY, account.upload_already, already_queued),
        Row(ANY, account.link_account, not_linked),
        Row(ANY, account.upload),
    ),
    Cmd.SLOWER: (Row(ANY, asides.slower),),
    Cmd.FASTER: (Row(ANY, asides.faster),),
    Cmd.EASIER: (Row(ANY, progress.easier, progress.has_a_step_to_undo), Row(ANY, asides.easier)),
    Cmd.HARDER: (Row(ANY, asides.harder),),
    Cmd.CANT_DO: (Row(ANY, asides.cant_do),),
    Cmd.MUSCLES: (Row(ANY, asides.muscles),),
    Cmd.WHATS_NEXT: _workout_command(Row(ANY, asides.whats_next)),
    Cmd.TIME_LEFT: _workout_command(Row(ANY, asides.time_left)),
    Cmd.PAIN: (Row(ANY, asides.pain),),
    Cmd.EQUIPMENT: (Row(frozenset({NONE, FINISHED}), asides.equipment_answer, equipment_question_open),
                    Row(ANY, asides.equipment)),
    Cmd.YES: (
        Row(ANY, progress.accept, offer_is(PROGRESS)),
        Row(ANY, reminders.create, offer_is(REMINDER)),
        Row(ANY, profiles.adopt, offer_is(ADOPT)),
        Row(frozenset({FINISHED}), account.upload, offer_open),
        Row(ANY, answers.nothing_to_answer),  # a yes that answers no question
    ),
    Cmd.NO: (
        Row(ANY, progress.not_yet, offer_is(PROGRESS)),
        Row(ANY, reminders.declined, offer_is(REMINDER)),
        Row(ANY, profiles.fresh_start, offer_is(ADOPT)),
        Row(frozenset({FINISHED}), account.decline, offer_open),
        Row(ANY, answers.nothing_to_answer),
    ),
    # Coaching over weeks (issue 17).
    Cmd.WEEK: (Row(ANY, week_answers.week),),
    Cmd.EASY: (Row(ANY, progress.easy),),
    Cmd.REMIND: (Row(ANY, reminders.offer),),
    Cmd.STOP_REMINDING: (Row(ANY, reminders.cancel),),
    # Back from a task Alexa ran for the skill (issue 30): a consent, a purchase flow, a resumed session.
    Cmd.CONSENT: (Row(ANY, reminders.consent_given, consent_is(GRANTED)),
                  Row(ANY, reminders.consent_refused, consent_is(REFUSED)),
                  Row(ANY, answers.back_in_place)),
    Cmd.RESUMED: (Row(ANY, answers.back_in_place),),
    # The audio mode (issue 15): the way workouts are coached, and loop or shuffle, need a device with a player.
    Cmd.USE_AUDIO: (Row(ANY, stream.use_mode, has_player), Row(ANY, answers.fallback)),
    Cmd.USE_SPEECH: (Row(ANY, stream.use_mode, has_player), Row(ANY, answers.fallback)),
    Cmd.LOOP: (Row(ANY, stream.no_loop, has_player), Row(ANY, answers.fallback)),
    # What the device's player reports, and its buttons (a remote, the Alexa app): always about the stream.
    Cmd.PLAYBACK_STARTED: _stream_event(stream.started),
    Cmd.PLAYBACK_NEARLY_FINISHED: _stream_event(stream.nearly_finished),
    Cmd.PLAYBACK_FINISHED: _stream_event(stream.finished),
    Cmd.PLAYBACK_STOPPED: _stream_event(stream.stopped),
    Cmd.PLAYBACK_FAILED: (Row(ANY, stream.failed),),
    Cmd.BUTTON_PAUSE: (Row(ANY, stream.pause),),
    Cmd.BUTTON_PLAY: (Row(ANY, stream.silent(stream.resume)),),
    Cmd.BUTTON_NEXT: (Row(ANY, stream.silent(stream.skip)),),
    Cmd.BUTTON_PREVIOUS: (Row(ANY, stream.silent(stream.back)),),
}


def dispatch(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    phase = state.phase if state is not None else NONE
    for row in TABLE[ctx.name]:
        if phase in row.phases and (row.condition is None or row.condition(coach, state, ctx, now_ms)):
            return row.action(coach, state, ctx, now_ms)
    raise LookupError(f"no transition for {ctx.name} in {phase}")  # a test checks this cannot happen
