"""The workout state: plain values that survive JSON, SQLite and DynamoDB unchanged."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields, replace
from typing import Any

# ready:    about to do the step at the position (nothing under way)
# playing:  a response carrying the workout from the position is being spoken (see `timeline`)
# doing:    the person was in the middle of the step at the position when they spoke
# paused:   paused during the step at the position
# finished: the workout is done
READY, PLAYING, DOING, PAUSED, FINISHED = "ready", "playing", "doing", "paused", "finished"
PHASES = (READY, PLAYING, DOING, PAUSED, FINISHED)
# The upload of a finished workout: offered once, then queued (sent or on its way) or declined.
OFFERED, QUEUED, DECLINED = "offered", "queued", "declined"
UPLOAD_STATES = ("", OFFERED, QUEUED, DECLINED)


@dataclass(frozen=True)
class Segment:
    """One step of a spoken response: where it starts and how long it lasts, in ms from the response start."""

    step: int
    start_ms: int
    duration_ms: int

    @property
    def end_ms(self) -> int:
        return self.start_ms + self.duration_ms


@dataclass(frozen=True)
class WorkoutState:
    workout: str
    equipment: tuple[str, ...] = ()
    round: int = 1
    exercise: int = 0
    set: int = 1
    part: int = 0
    resting: bool = False
    phase: str = READY
    timeline: tuple[Segment, ...] = ()
    response_at_ms: int = 0
    started_at_ms: int = 0
    updated_at_ms: int = 0
    praise: int = 0
    # What the person actually did: (step, start ms, duration ms) for each move or rest heard through, and
    # for a move they cut short with "next". Copied to the workout log when the workout ends.
    done: tuple[tuple[int, int, int], ...] = ()
    step_started_ms: int = 0  # when the step at the position began being spoken (after a barge-in)
    upload: str = ""  # one of UPLOAD_STATES

    @property
    def key(self) -> tuple[str, int, int, int, int]:
        return ("rest" if self.resting else "move", self.round, self.exercise, self.set, self.part)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["equipment"] = list(self.equipment)
        data["timeline"] = [[s.step, s.start_ms, s.duration_ms] for s in self.timeline]
        data["done"] = [list(d) for d in self.done]
        return data

    @classmethod
    def from_dict(cls, data: Any) -> WorkoutState | None:
        """The state stored as `data`, or None when it is not a well-formed state (never raises).

        Numbers may come back from DynamoDB as Decimal; they are turned back into ints here.
        """
        if not isinstance(data, dict) or not isinstance(data.get("workout"), str):
            return None
        try:
            values: dict[str, Any] = {}
            for f in fields(cls):
                if f.name not in data:
                    continue
                raw = data[f.name]
                if f.name == "equipment":
                    values[f.name] = tuple(str(e) for e in raw)
                elif f.name == "timeline":
                    values[f.name] = tuple(Segment(*(_int(v) for v in seg)) for seg in raw)
                elif f.name == "done":
                    values[f.name] = tuple((_int(a), _int(b), _int(c)) for a, b, c in raw)
                elif f.name in ("workout", "phase", "upload"):
                    values[f.name] = str(raw)
                elif f.name == "resting":
                    values[f.name] = bool(raw)
                else:
                    values[f.name] = _int(raw)
            state = cls(**values)
        except (TypeError, ValueError):
            return None
        return state if state.phase in PHASES and state.upload in UPLOAD_STATES else None

    def at(self, key: tuple[str, int, int, int, int], phase: str) -> WorkoutState:
        kind, rnd, exercise, set_no, part = key
        return replace(
            self, round=rnd, exercise=exercise, set=set_no, part=part, resting=kind == "rest", phase=phase,
            timeline=(), response_at_ms=0, step_started_ms=0,
        )


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("not a number")
    number = int(value)
    if number != value:
        raise ValueError("not a whole number")
    return number
