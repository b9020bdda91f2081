"""The record of finished workouts kept with the person's data (date, workout, sets done)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from skill.engine.plan import MOVE, Plan
from skill.engine.state import FINISHED, PLAYING, WorkoutState

MAX_ENTRIES = 30  # six weeks at the article's five days a week: enough for "this week" and "last time"


def finished_entry(plan: Plan, state: WorkoutState) -> dict[str, Any] | None:
    """The history entry for `state` once its workout is done (or its final response is under way)."""
    if state.phase == PLAYING and state.timeline and state.timeline[-1].step == len(plan.steps) - 1:
        finished_at = state.response_at_ms + state.timeline[-1].end_ms
    elif state.phase == FINISHED:
        finished_at = state.updated_at_ms
    else:
        return None
    moves = [s for s in plan.steps if s.kind == MOVE]
    return {
        "workout": state.workout,
        "equipment": list(state.equipment),
        "started_at_ms": state.started_at_ms,
        "finished_at_ms": finished_at,
        "date": datetime.fromtimestamp(finished_at / 1000, tz=UTC).date().isoformat(),
        "sets": len({(s.round, s.exercise, s.set) for s in moves}),
        "moves": len(moves),
    }


def with_entry(history: list[dict[str, Any]], entry: dict[str, Any] | None) -> list[dict[str, Any]]:
    """`history` with `entry` added once (a workout is identified by its workout and start time)."""
    if entry is None or any(
        h.get("workout") == entry["workout"] and h.get("started_at_ms") == entry["started_at_ms"] for h in history
    ):
        return history
    return [*history, entry][-MAX_ENTRIES:]


def workout_log(plan: Plan, state: WorkoutState, status: str) -> dict[str, Any]:
    """Every set and rest the person actually did, for exports and uploads. With a final response under way,
    its steps count as done (the person is doing them; a later barge-in does not undo a logged workout)."""
    done = list(state.done)
    if state.phase == PLAYING:
        done += [(s.step, state.response_at_ms + s.start_ms, s.duration_ms) for s in state.timeline]
    sets = []
    for step_index, start_ms, duration_ms in done:
        step = plan.steps[step_index]
        sets.append({
            "kind": step.kind,
            "exercise": step.exercise_id,
            "name": step.display_name,
            "round": step.round,
            "set": step.set,
            "part": step.part_label,
            "part_kind": step.part_kind,
            "part_index": step.part,
            "reps": step.reps_min if step.kind == MOVE else 0,
            "start_ms": start_ms,
            "duration_ms": duration_ms,
        })
    end = max((s["start_ms"] + s["duration_ms"] for s in sets), default=state.updated_at_ms)
    return {
        "workout": state.workout,
        "name": plan.workout.name,
        "equipment": list(state.equipment),
        "status": status,
        "started_at_ms": state.started_at_ms,
        "finished_at_ms": end,
        "sets": sets,
    }


def week_start_ms(now_ms: int) -> int:
    """Midnight (UTC) of the Monday of `now_ms`'s week."""
    day = datetime.fromtimestamp(now_ms / 1000, tz=UTC).date()
    monday = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(days=day.weekday())
    return int(monday.timestamp() * 1000)


def days_between(then_ms: int, now_ms: int) -> int:
    then = datetime.fromtimestamp(then_ms / 1000, tz=UTC).date()
    return (datetime.fromtimestamp(now_ms / 1000, tz=UTC).date() - then).days
