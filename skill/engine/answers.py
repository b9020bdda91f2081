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
        return keep(coach, state, "explained", [say("explain", exercise=exercise), *then], back=True)
    if command.heard:
        names = [ex.name for ex in closest_exercises(coach.content, command.heard)]
        unknown = say("unknown_exercise", heard=command.heard, suggestions=names)
        return keep(coach, state, "unknown_exercise", [unknown], back=True)
    return keep(coach, state, "which_exercise", [say("which_exercise")], back=True)


def help_(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    return keep(coach, state, "help", [say("help")], back=True)


def fallback(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    return keep(coach, state, "fallback", [say("fallback")], back=True)


def welcome(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    return keep(coach, state, "welcome", [say("welcome")])


def no_workout(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    return keep(coach, state, "no_workout", [say("no_workout")])
