"""Answers that leave the workout where it is: where am I, how do I do X, help, and what to say when lost."""

from __future__ import annotations

from dataclasses import replace

from skill.content.lookup import closest_exercises
from skill.engine.coach import Coach
from skill.engine.commands import Outcome
from skill.engine.context import Context
from skill.engine.replies import current_move, keep, place
from skill.engine.script import P, say
from skill.engine.state import FINISHED, READY, WorkoutState
from skill.engine.views import Concluded, Explained, Where, where

State = WorkoutState | None


def status(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    assert state is not None
    plan, index = coach.placed(state)
    return keep(coach, state, "status", [say(P.STATUS, at=where(plan, index), started=state.phase != READY)],
                back=True)


def finished_status(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    assert state is not None
    done = keep(coach, state, "workout_done", [say(P.WORKOUT_DONE, workout=coach.content.workouts[state.workout].name)])
    return replace(done, shown=Concluded())


def explain(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    exercise = ctx.command.exercise
    if not exercise and not ctx.command.heard and state is not None and state.phase != FINISHED:
        plan, index = coach.placed(state)  # "how do I do this one?": the move under way
        exercise = plan.steps[current_move(plan, state, index)].exercise_id
    # With no workout under way, the answer still ends by saying what the person can do now (never an open mic
    # after a bare explanation, as a one-shot "ask back coach how do I do X" would otherwise leave it).
    then = [say(P.WHAT_NOW)] if place(coach, state) is None else []
    if exercise in coach.content.exercises:
        explained = say(P.EXPLAIN, exercise=exercise, letter=ctx.command.letter, today=today(coach, state, exercise))
        return replace(keep(coach, state, "explained", [explained, *then], back=True), shown=Explained(exercise))
    if ctx.command.heard:
        names = [ex.name for ex in closest_exercises(coach.content, ctx.command.heard)]
        unknown = say(P.UNKNOWN_EXERCISE, heard=ctx.command.heard, suggestions=names)
        return keep(coach, state, "unknown_exercise", [unknown], back=True)
    return keep(coach, state, "which_exercise", [say(P.WHICH_EXERCISE)], back=True)


def today(coach: Coach, state: State, exercise: str) -> Where | None:
    """Today's prescription for `exercise` when it is in the workout under way (the move in progress first)."""
    if place(coach, state) is None:
        return None
    assert state is not None
    plan, index = coach.placed(state)
    current = current_move(plan, state, index)
    if plan.steps[current].exercise_id == exercise:
        return where(plan, current)
    later = next((j for j, s in enumerate(plan.steps) if s.exercise_id == exercise and s.kind == "move"), None)
    return where(plan, later) if later is not None else None


def help_(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    return keep(coach, state, "help", [say(P.HELP)], back=True)


def fallback(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """Words the skill did not understand: what can be said at this point of the workout."""
    at = place(coach, state)
    return keep(coach, state, "fallback", [say(P.FALLBACK, in_workout=at is not None, resolved=False)], back=True)


def nothing_to_answer(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """A yes or no when no question is open: understood, but there is nothing to answer."""
    at = place(coach, state)
    return keep(coach, state, "fallback", [say(P.FALLBACK, in_workout=at is not None, resolved=True)], back=True)


def back_in_place(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """Back from a task Alexa ran (a purchase flow, a consent, a resumed session): nothing changed, so say
    how to go on from the place kept, or what to do when no workout is under way."""
    speech = [] if place(coach, state) is not None else [say(P.WHAT_NOW)]
    return keep(coach, state, "back_in_place", speech, back=True)


def welcome(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    return keep(coach, state, "welcome", [say(P.WELCOME)])


def no_workout(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    return keep(coach, state, "no_workout", [say(P.NO_WORKOUT)])
