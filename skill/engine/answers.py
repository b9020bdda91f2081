"""Answers that leave the workout where it is: where am I, how do I do X, help, and what to say when lost."""

from __future__ import annotations

from typing import TYPE_CHECKING

from skill.content.lookup import closest_exercises
from skill.engine.commands import Command, Outcome
from skill.engine.script import Prompt, say
from skill.engine.state import FINISHED, READY, WorkoutState
from skill.engine.views import Where, where

if TYPE_CHECKING:
    from skill.engine.coach import Coach

State = WorkoutState | None


def keep(coach: Coach, state: State, result: str, speech: list[Prompt], back: bool = False) -> Outcome:
    """An answer that leaves the workout where it is, with the session open.

    With `back`, the answer ends by telling the person how to get back to the workout in progress.
    """
    at = place(coach, state)
    if back and at is not None:
        speech = [*speech, say("back_to_workout", at=at)]
    return Outcome(result, state, tuple(speech), reprompt=(say("reprompt", at=at),))


def place(coach: Coach, state: State) -> Where | None:
    if state is None or state.phase == FINISHED:
        return None
    plan, index = coach.placed(state)
    return where(plan, index)


def status(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    assert state is not None
    plan, index = coach.placed(state)
    return keep(coach, state, "status", [say("status", at=where(plan, index), started=state.phase != READY)],
                back=True)


def finished_status(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    assert state is not None
    return keep(coach, state, "workout_done", [say("workout_done", workout=coach.content.workouts[state.workout].name)])


def explain(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    exercise = command.exercise
    if not exercise and not command.heard and state is not None and state.phase != FINISHED:
        from skill.engine.workout import current_move

        plan, index = coach.placed(state)  # "how do I do this one?": the move under way
        exercise = plan.steps[current_move(plan, state, index)].exercise_id
    # With no workout under way, the answer still ends by saying what the person can do now (never an open mic
    # after a bare explanation, as a one-shot "ask back coach how do I do X" would otherwise leave it).
    then = [say("what_now")] if place(coach, state) is None else []
    if exercise in coach.content.exercises:
        explained = say("explain", exercise=exercise, letter=command.letter, today=today(coach, state, exercise))
        return keep(coach, state, "explained", [explained, *then], back=True)
    if command.heard:
        names = [ex.name for ex in closest_exercises(coach.content, command.heard)]
        unknown = say("unknown_exercise", heard=command.heard, suggestions=names)
        return keep(coach, state, "unknown_exercise", [unknown], back=True)
    return keep(coach, state, "which_exercise", [say("which_exercise")], back=True)


def today(coach: Coach, state: State, exercise: str) -> Where | None:
    """Today's prescription for `exercise` when it is in the workout under way (the move in progress first)."""
    if place(coach, state) is None:
        return None
    assert state is not None
    from skill.engine.workout import current_move

    plan, index = coach.placed(state)
    current = current_move(plan, state, index)
    if plan.steps[current].exercise_id == exercise:
        return where(plan, current)
    later = next((j for j, s in enumerate(plan.steps) if s.exercise_id == exercise and s.kind == "move"), None)
    return where(plan, later) if later is not None else None


def help_(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    return keep(coach, state, "help", [say("help")], back=True)


def fallback(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    """Words the skill did not understand: what can be said at this point of the workout."""
    at = place(coach, state)
    return keep(coach, state, "fallback", [say("fallback", in_workout=at is not None, resolved=False)], back=True)


def nothing_to_answer(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    """A yes or no when no question is open: understood, but there is nothing to answer."""
    at = place(coach, state)
    return keep(coach, state, "fallback", [say("fallback", in_workout=at is not None, resolved=True)], back=True)


def welcome(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    return keep(coach, state, "welcome", [say("welcome")])


def no_workout(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    return keep(coach, state, "no_workout", [say("no_workout")])
