"""The workouts a person has done, as history entries and as detailed logs (the calendar: engine/calendar.py)."""

from __future__ import annotations

from skill.engine.calendar import local_date
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


def entry(plan: Plan, state: WorkoutState, status: str, now_ms: int,
          steps: dict[str, str] | None = None, *, zone: str) -> HistoryEntry:
    """The history entry of `state`'s workout: its sets done (each side, grip or letter is a set), the exercises
    of which every set was done, the progression each was done with (`steps`, from the person's record), and
    the day it ended on the person's calendar (`zone`)."""
    done = done_steps(plan, state)
    ended = state.finished_at_ms or max((d.start_ms + d.duration_ms for d in done), default=now_ms)
    moves = [plan.steps[plan.index(d.step) or 0] for d in done]
    moves = [s for s in moves if s.kind == MOVE]
    did = {s.id for s in moves}
    complete = tuple(e for e in dict.fromkeys(plan.exercises)
                     if all(s.id in did for s in plan.steps if s.kind == MOVE and s.exercise_id == e))
    used = {e: v for e, v in (steps or {}).items() if v and e in plan.exercises}
    return HistoryEntry(workout=state.workout, started_at_ms=state.started_at_ms, finished_at_ms=ended,
                        date=local_date(ended, zone).isoformat(), sets=len(moves),
                        equipment=state.equipment, status=status, complete=complete, steps=used)

