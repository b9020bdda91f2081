"""The workout state: plain values that survive JSON, SQLite and DynamoDB unchanged.

Places are stable step ids (see `Step.id`), never indexes into a built plan: a saved workout resumes at the
same move after a content edit that adds or removes others.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
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
MAX_ID = 120  # a step id is a few dozen characters; anything longer did not come from this code


@dataclass(frozen=True)
class Segment:
    """One step of a spoken response: where it starts and how long it lasts, in ms from the response start."""

    step: str
    start_ms: int
    duration_ms: int

    @property
    def end_ms(self) -> int:
        return self.start_ms + self.duration_ms


@dataclass(frozen=True)
class Done:
    """A step the person actually did: heard through, or cut short with "next"."""

    step: str
    start_ms: int
    duration_ms: int


@dataclass(frozen=True)
class WorkoutState:
    workout: str
    position: str  # the id of the step the person is at
    equipment: tuple[str, ...] = ()
    phase: str = READY
    timeline: tuple[Segment, ...] = ()
    response_at_ms: int = 0
    started_at_ms: int = 0
    updated_at_ms: int = 0
    praise: int = 0
    done: tuple[Done, ...] = ()  # copied to the workout log when the workout ends
    step_started_ms: int = 0  # when the step at the position began being spoken (after a barge-in)
    upload: str = ""  # one of UPLOAD_STATES
    finished_at_ms: int = 0  # when its final response ends (or it was finished): from then on it counts as done
    pain: tuple[str, ...] = ()  # the steps during which the person said something hurt
    # The audio mode (skill.engine.stream): which clip of the step at the position, and where in it playback
    # stopped (exact, from AudioPlayer.PlaybackStopped).
    track: str = ""
    offset_ms: int = 0

    def to_dict(self) -> dict[str, Any]:
        # Field by field, not `asdict`: it deep-copies every nested value, a tenth of a warm turn.
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["equipment"] = list(self.equipment)
        data["timeline"] = [[s.step, s.start_ms, s.duration_ms] for s in self.timeline]
        data["done"] = [[d.step, d.start_ms, d.duration_ms] for d in self.done]
        data["pain"] = list(self.pain)
        return data

    @classmethod
    def from_dict(cls, data: Any) -> WorkoutState | None:
        """The state stored as `data`, or None when it is not a well-formed state (never raises)."""
        if not isinstance(data, dict) or not isinstance(data.get("workout"), str):
            return None
        if not isinstance(data.get("position"), str):
            return None
        try:
            values: dict[str, Any] = {}
            for f in fields(cls):
                if f.name not in data:
                    continue
                raw = data[f.name]
                if f.name == "equipment":
                    values[f.name] = tuple(_text(e) for e in raw)
                elif f.name == "timeline":
                    values[f.name] = tuple(Segment(_text(a), _int(b), _int(c)) for a, b, c in raw)
                elif f.name == "done":
                    values[f.name] = tuple(Done(_text(a), _int(b), _int(c)) for a, b, c in raw)
                elif f.name == "pain":
                    values[f.name] = tuple(_text(p) for p in raw)
                elif f.name in ("workout", "position", "phase", "upload", "track"):
                    values[f.name] = _text(raw)
                else:
                    values[f.name] = _int(raw)
            state = cls(**values)
        except (TypeError, ValueError):
            return None
        return state if state.phase in PHASES and state.upload in UPLOAD_STATES else None

    def at(self, step_id: str, phase: str) -> WorkoutState:
        return replace(self, position=step_id, phase=phase, timeline=(), response_at_ms=0, step_started_ms=0,
                       track="", offset_ms=0)


def _int(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError("not a number")
    number = int(value)
    if number != value:
        raise ValueError("not a whole number")
    return number


def _text(value: Any) -> str:
    if not isinstance(value, str) or len(value) > MAX_ID:
        raise ValueError("not a short text")
    return value
