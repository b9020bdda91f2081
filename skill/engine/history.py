"""The record of finished workouts kept with the person's data (date, workout, sets done)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from skill.engine.plan import MOVE, Plan
from skill.engine.state import FINISHED, PLAYING, WorkoutState

MAX_ENTRIES = 60  # about three months at the article's five days a week


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
