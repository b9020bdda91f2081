"""The building blocks every action shares: an answer that keeps the workout where it is, the place it names,
the move under way, and the effects a workout's end leaves (built here, once, for every way a workout ends)."""

from __future__ import annotations

from collections.abc import Callable

from skill.engine.coach import Coach
from skill.engine.commands import Outcome
from skill.engine.context import Context
from skill.engine.effects import WorkoutAbandoned, WorkoutFinished
from skill.engine.history import conclude
from skill.engine.plan import MOVE, Plan
from skill.engine.record import ABANDONED, FINISHED
from skill.engine.script import P, Prompt, say
from skill.engine.state import DOING, PAUSED, WorkoutState
from skill.engine.state import FINISHED as DONE_PHASE
from skill.engine.views import Where, where

State = WorkoutState | None
# A row's action in the transition table: what a command does in a state.
Action = Callable[[Coach, State, Context, int], Outcome]


def keep(coach: Coach, state: State, result: str, speech: list[Prompt], back: bool = False) -> Outcome:
    """An answer that leaves the workout where it is, with the session open.

    With `back`, the answer ends by telling the person how to get back to the workout in progress.
    """
    at = place(coach, state)
    if back and at is not None:
        speech = [*speech, say(P.BACK_TO_WORKOUT, at=at)]
    return Outcome(result, state, tuple(speech), reprompt=(say(P.REPROMPT, at=at),))


def place(coach: Coach, state: State) -> Where | None:
    """The step a workout under way is at (None when there is none, or it is over)."""
    if state is None or state.phase == DONE_PHASE:
        return None
    plan, index = coach.placed(state)
    return where(plan, index)


def current_move(plan: Plan, state: WorkoutState, index: int) -> int:
    """The move the person is doing, or has just done when between moves or resting."""
    if plan.steps[index].kind == MOVE and state.phase in (DOING, PAUSED):
        return index
    for j in range(index - 1, -1, -1):
        if plan.steps[j].kind == MOVE:
            return j
    return next(j for j in range(index, len(plan.steps)) if plan.steps[j].kind == MOVE)


def workout_finished(plan: Plan, state: WorkoutState, ctx: Context, now_ms: int) -> WorkoutFinished:
    """The workout is done: its entry and its log, made once (skill.engine.history)."""
    entry, log = conclude(plan, state, FINISHED, now_ms, ctx.coaching.steps, ctx.zone)
    return WorkoutFinished(state, entry, log)


def abandoned(coach: Coach, state: State, ctx: Context, now_ms: int) -> tuple[WorkoutAbandoned, ...]:
    """A workout under way that a new one replaces: kept as abandoned, unless it already counted as done."""
    if state is None or state.phase == DONE_PHASE or state.finished_at_ms or coach.plan(state) is None:
        return ()
    plan = coach.plan(state)
    assert plan is not None
    entry, log = conclude(plan, state, ABANDONED, now_ms, ctx.coaching.steps, ctx.zone)
    return (WorkoutAbandoned(state, entry, log),)
