"""The workout log: every set and rest a person actually did, for exports and uploads.

Times come from the requests that moved the workout on, and two Echos' clocks can disagree by seconds: a log
never runs backwards (each set starts no earlier than the one before it ended) and no length is negative.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from skill.engine.calendar import DEFAULT_ZONE
from skill.engine.history import done_steps
from skill.engine.plan import MOVE, Plan
from skill.engine.state import WorkoutState

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

    def to_dict(self) -> dict[str, Any]:
        # Shallow, field by field: `asdict` deep-copies every value, and a log has a hundred sets.
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["equipment"] = list(self.equipment)
        data["sets"] = [{f.name: getattr(s, f.name) for f in SET_FIELDS} for s in self.sets]
        return data


def build_log(plan: Plan, state: WorkoutState, status: str, steps: dict[str, str] | None = None,
              zone: str = DEFAULT_ZONE) -> WorkoutLog | None:
    """The log of `state`'s workout, or None when not one move of it was done; `steps`: the progression each
    exercise was done with; `zone`: the person's time zone."""
    sets: list[LoggedSet] = []
    clock = state.started_at_ms
    for done in done_steps(plan, state):
        index = plan.index(done.step)
        assert index is not None
        step = plan.steps[index]
        start = max(done.start_ms, clock)
        length = min(max(done.duration_ms, 0), MAX_STEP_MS)
        clock = start + length
        sets.append(LoggedSet(
            kind=step.kind, exercise=step.exercise_id, name=step.display_name, round=step.round, set=step.set,
            part=step.part_label, part_kind=step.part_kind, part_index=step.part,
            reps=step.reps_min if step.kind == MOVE else 0, start_ms=start, duration_ms=length,
            step=(steps or {}).get(step.exercise_id, "") if step.kind == MOVE else "",
        ))
    if not any(s.kind == MOVE for s in sets):
        return None
    return WorkoutLog(workout=state.workout, name=plan.workout.name, equipment=state.equipment, status=status,
                      started_at_ms=state.started_at_ms, finished_at_ms=clock, sets=tuple(sets), zone=zone)
