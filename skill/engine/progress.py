"""Progression and regression from history: when every set of an exercise was done for a number of workouts in
a row (or the person called it easy), the coach offers its next step from the content's ladder; "easier" steps
back. One change at a time: after any change or "not yet", every exercise needs that many workouts again.
Every change is the person's choice, and each is an effect the record keeps. Pure."""

from __future__ import annotations

from dataclasses import dataclass

from skill.content.schema import Content
from skill.engine.coach import Coach
from skill.engine.coaching import PROGRESS, Coaching, Offer
from skill.engine.commands import Outcome
from skill.engine.context import Context
from skill.engine.effects import MoveEasy, OfferClosed, StepChanged, StepDeclined
from skill.engine.plan import build_plan
from skill.engine.record import FINISHED, HistoryEntry
from skill.engine.replies import current_move, keep
from skill.engine.script import P, say
from skill.engine.state import WorkoutState

State = WorkoutState | None
EASY, COMPLETE = "easy", "complete"


@dataclass(frozen=True)
class Candidate:
    exercise: str
    step: str  # the progression id to offer
    reason: str  # EASY or COMPLETE
    sessions: int


def exercises_of(content: Content, entry: HistoryEntry) -> tuple[str, ...]:
    if entry.workout not in content.workouts:
        return ()
    return build_plan(content, entry.workout, entry.equipment).exercises


def next_step(content: Content, coaching: Coaching, exercise: str) -> str:
    ladder = content.guide.ladder_of(exercise)
    current = coaching.step(exercise)
    at = ladder.index(current) + 1 if current in ladder else 0
    return ladder[at] if at < len(ladder) else ""


def previous_step(content: Content, coaching: Coaching, exercise: str) -> str | None:
    """The step before the current one ("" = as taught); None when the exercise is already as taught."""
    ladder = content.guide.ladder_of(exercise)
    current = coaching.step(exercise)
    if current not in ladder:
        return None
    at = ladder.index(current)
    return ladder[at - 1] if at > 0 else ""


def candidate(content: Content, coaching: Coaching, history: tuple[HistoryEntry, ...]) -> Candidate | None:
    """The one next step to offer now, if any: exercises in the order of the last workout done."""
    finished = [h for h in history if h.status == FINISHED]
    if not finished:
        return None
    since = max((coaching.changed_at_ms, *coaching.declined.values()))
    needed = content.guide.sessions_to_progress
    for exercise in exercises_of(content, finished[-1]):
        step = next_step(content, coaching, exercise)
        if not step:
            continue
        current = coaching.step(exercise)
        runs = [h for h in finished if h.started_at_ms > since and exercise in exercises_of(content, h)]
        recent = runs[-needed:]
        full = all(exercise in h.complete and h.steps.get(exercise, "") == current for h in recent)
        if recent and full and exercise in coaching.easy:
            return Candidate(exercise, step, EASY, len(recent))
        if len(recent) >= needed and full:
            return Candidate(exercise, step, COMPLETE, len(recent))
    return None


def offer_prompts(found: Candidate) -> list:
    return [say(P.PROGRESS_OFFER, exercise=found.exercise, step=found.step, reason=found.reason,
                sessions=found.sessions)]


def latest_start(ctx: Context) -> int:
    return max((h.started_at_ms for h in ctx.history), default=0)


# -- actions (rows of the transition table) ----------------------------------------------------------------

def accept(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    offer = ctx.coaching.offer
    assert offer is not None
    effects = (OfferClosed(), StepChanged(offer.exercise, offer.step, latest_start(ctx)))
    return Outcome("step_changed", state, (say(P.PROGRESS_ACCEPTED, exercise=offer.exercise, step=offer.step),),
                   end_session=True, effects=effects)


def not_yet(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    offer = ctx.coaching.offer
    assert offer is not None
    effects = (OfferClosed(), StepDeclined(offer.exercise, latest_start(ctx)))
    return Outcome("step_declined", state, (say(P.PROGRESS_DECLINED),), end_session=True, effects=effects)


def _meant(coach: Coach, state: State, ctx: Context) -> str:
    """The exercise the person means: named, under way, or the last one they moved on."""
    if ctx.command.exercise in coach.content.exercises:
        return ctx.command.exercise
    if state is not None and coach.plan(state) is not None:
        plan, index = coach.placed(state)
        return plan.steps[current_move(plan, state, index)].exercise_id
    changed = [e for e, s in ctx.coaching.steps.items() if s]
    return changed[-1] if changed else ""


def easy(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    exercise = _meant(coach, state, ctx)
    if not exercise:
        return keep(coach, state, "which_exercise", [say(P.WHICH_EXERCISE)], back=True)
    if not next_step(coach.content, ctx.coaching, exercise):
        return keep(coach, state, "easy_top", [say(P.EASY_TOP, exercise=exercise)], back=True)
    outcome = keep(coach, state, "easy_noted", [say(P.EASY_NOTED, exercise=exercise)], back=True)
    return Outcome(outcome.result, outcome.state, outcome.speech, outcome.reprompt, effects=(MoveEasy(exercise),))


def has_a_step_to_undo(coach: Coach, state: State, ctx: Context, now_ms: int) -> bool:
    """The move meant is past its first step: "easier" steps it back (otherwise it gets plain advice)."""
    exercise = _meant(coach, state, ctx)
    return bool(exercise) and previous_step(coach.content, ctx.coaching, exercise) is not None


def easier(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    exercise = _meant(coach, state, ctx)
    back = previous_step(coach.content, ctx.coaching, exercise) if exercise else None
    if back is None:
        return keep(coach, state, "easier_as_taught", [say(P.EASIER_AS_TAUGHT)], back=True)
    outcome = keep(coach, state, "step_back", [say(P.STEP_BACK, exercise=exercise, step=back)], back=True)
    effects = (StepChanged(exercise, back, latest_start(ctx)),)
    return Outcome(outcome.result, outcome.state, outcome.speech, outcome.reprompt, effects=effects)


def offer_of(found: Candidate) -> Offer:
    return Offer(PROGRESS, exercise=found.exercise, step=found.step)
