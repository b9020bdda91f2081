"""What a workout done (or given up) leaves behind: its history entry in the person's record and its workout log
(every set and rest, for exports and uploads). Both are made here, once, by `conclude`, at the moment the
workout finishes or is abandoned, with one rule for when it ended; everything that reads them later (the week,
the follow-up offers, the screen, the upload) takes them from the `WorkoutFinished` effect that carries them.

Times come from the requests that moved the workout on, and two Echos' clocks can disagree by seconds: a log
never runs backwards (each set starts no earlier than the one before it ended) and no length is negative.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from skill.engine.calendar import DEFAULT_ZONE, local_date
from skill.engine.plan import MOVE, Plan
from skill.engine.record import HistoryEntry
from skill.engine.state import Done, WorkoutState

MAX_STEP_MS = 30 * 60 * 1000  # no set or rest lasts longer; a longer one is a pause nobody said


@dataclass(frozen=True)
class LoggedSet:
    kind: str  # "move" or "rest"
    exercise: str
    name: str
    round: int
    set: int
    part: str
    part_kind: str
    part_index: int
    reps: int
    start_ms: int
    duration_ms: int
    step: str = ""  # the progression the move was done with (pause reps...), "" as first taught


SET_FIELDS = fields(LoggedSet)


@dataclass(frozen=True)
class WorkoutLog:
    workout: str
    name: str
    equipment: tuple[str, ...]
    status: str  # "finished" or "abandoned"
    started_at_ms: int
    finished_at_ms: int
    sets: tuple[LoggedSet, ...]
    zone: str = DEFAULT_ZONE  # where the person was (IANA): times stay UTC, uploads give the local offset too

    @property
    def active_ms(self) -> int:
        """The time of the work actually done, sets and rests (not the days a workout may have lain paused)."""
        return sum(s.duration_ms for s in self.sets)

    @property
    def moves(self) -> int:
        return sum(1 for s in self.sets if s.kind == MOVE)

    def to_dict(self) -> dict[str, Any]:
        # Shallow, field by field: `asdict` deep-copies every value, and a log has a hundred sets.
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["equipment"] = list(self.equipment)
        data["sets"] = [{f.name: getattr(s, f.name) for f in SET_FIELDS} for s in self.sets]
        return data


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


def conclude(plan: Plan, state: WorkoutState, status: str, now_ms: int, steps: dict[str, str] | None = None,
             zone: str = DEFAULT_ZONE) -> tuple[HistoryEntry, WorkoutLog | None]:
    """The history entry and the workout log of `state`'s workout, ending as `status`: its sets done (each side,
    grip or letter is a set), the exercises of which every set was done, the progression each was done with
    (`steps`, from the person's record), and the day it ended on the person's calendar (`zone`). The log is None
    when not one move was done. Both end at the same moment: when the workout's final words end or the last set
    done ends, whichever is later."""
    done = done_steps(plan, state)
    sets: list[LoggedSet] = []
    clock = state.started_at_ms
    for d in done:
        index = plan.index(d.step)
        assert index is not None
        step = plan.steps[index]
        start = max(d.start_ms, clock)
        length = min(max(d.duration_ms, 0), MAX_STEP_MS)
        clock = start + length
        sets.append(LoggedSet(
            kind=step.kind, exercise=step.exercise_id, name=step.display_name, round=step.round, set=step.set,
            part=step.part_label, part_kind=step.part_kind, part_index=step.part,
            reps=step.reps_min if step.kind == MOVE else 0, start_ms=start, duration_ms=length,
            step=(steps or {}).get(step.exercise_id, "") if step.kind == MOVE else "",
        ))
    ended = max(state.finished_at_ms, clock) if sets else (state.finished_at_ms or now_ms)
    did = {d.step for d in done}
    complete = tuple(e for e in dict.fromkeys(plan.exercises)
                     if all(s.id in did for s in plan.steps if s.kind == MOVE and s.exercise_id == e))
    used = {e: v for e, v in (steps or {}).items() if v and e in plan.exercises}
    entry = HistoryEntry(workout=state.workout, started_at_ms=state.started_at_ms, finished_at_ms=ended,
                         date=local_date(ended, zone).isoformat(), sets=sum(1 for s in sets if s.kind == MOVE),
                         equipment=state.equipment, status=status, complete=complete, steps=used)
    log = None
    if any(s.kind == MOVE for s in sets):
        log = WorkoutLog(workout=state.workout, name=plan.workout.name, equipment=state.equipment, status=status,
                         started_at_ms=state.started_at_ms, finished_at_ms=ended, sets=tuple(sets),
                         zone=zone)
    return entry, log

