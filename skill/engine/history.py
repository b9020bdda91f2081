"""The workouts a person has done, as history entries and as detailed logs, and the calendar they count on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from skill.engine.plan import MOVE, Plan
from skill.engine.record import HistoryEntry
from skill.engine.state import Done, WorkoutState


def done_steps(plan: Plan, state: WorkoutState) -> list[Done]:
    """What the person did, in order: every step heard through or cut short and, while a final response is under
    way, its steps too (a later barge-in does not undo a logged workout). Only steps of this plan."""
    done = list(state.done)
    if state.finished_at_ms and state.timeline:
        done += [Done(s.step, state.response_at_ms + s.start_ms, s.duration_ms) for s in state.timeline]
    seen: set[tuple[str, int]] = set()
    out = []
    for d in done:
        if plan.index(d.step) is None or (d.step, d.start_ms) in seen:
            continue
        seen.add((d.step, d.start_ms))
        out.append(d)
    return out


def entry(plan: Plan, state: WorkoutState, status: str, now_ms: int) -> HistoryEntry:
    """The history entry of `state`'s workout: its sets done (each side, grip or letter is a set)."""
    done = done_steps(plan, state)
    ended = state.finished_at_ms or max((d.start_ms + d.duration_ms for d in done), default=now_ms)
    sets = sum(1 for d in done if plan.steps[plan.index(d.step) or 0].kind == MOVE)
    return HistoryEntry(workout=state.workout, started_at_ms=state.started_at_ms, finished_at_ms=ended,
                        date=datetime.fromtimestamp(ended / 1000, tz=UTC).date().isoformat(), sets=sets,
                        equipment=state.equipment, status=status)


def week_start_ms(now_ms: int) -> int:
    """Midnight (UTC) of the Monday of `now_ms`'s week."""
    day = datetime.fromtimestamp(now_ms / 1000, tz=UTC).date()
    monday = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(days=day.weekday())
    return int(monday.timestamp() * 1000)


def days_between(then_ms: int, now_ms: int) -> int:
    then = datetime.fromtimestamp(then_ms / 1000, tz=UTC).date()
    return (datetime.fromtimestamp(now_ms / 1000, tz=UTC).date() - then).days
