"""Each person's record, typed: the workout in progress, the workouts done, settings, whether a watch is paired.

Stored as plain values with an explicit schema number. `PersonRecord.from_dict` reads every shape a release
has written (schema 0: the untyped record of the first releases, whose workout positions were indexes into the
built plan) and drops what does not pass its checks, never raising.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from skill.content.schema import Content
from skill.engine.calendar import DEFAULT_ZONE, known_zone
from skill.engine.coaching import Coaching
from skill.engine.plan import build_plan
from skill.engine.state import WorkoutState

SCHEMA = 2  # 2: coaching over weeks (streak, progressions, offers, reminders); history entries say what was done
READABLE = (0, 1, SCHEMA)
MAX_HISTORY = 30  # six weeks at the article's five days a week: enough for "this week" and "last time"
FINISHED, ABANDONED = "finished", "abandoned"
AUDIO, SPEECH = "audio", "speech"  # how workouts are coached: one AudioPlayer stream, or turn by turn
MODES = (AUDIO, SPEECH)


@dataclass(frozen=True)
class HistoryEntry:
    """One workout done or started: a set is one side, grip or letter, as in the FIT export."""

    workout: str
    started_at_ms: int
    finished_at_ms: int
    date: str
    sets: int
    equipment: tuple[str, ...] = ()
    status: str = FINISHED
    complete: tuple[str, ...] = ()  # the exercises of which every set was done (schema 2 on)
    steps: dict[str, str] = field(default_factory=dict)  # exercise -> progression done, when not as taught

    def to_dict(self) -> dict[str, Any]:
        out = {"workout": self.workout, "started_at_ms": self.started_at_ms, "finished_at_ms": self.finished_at_ms,
               "date": self.date, "sets": self.sets, "equipment": list(self.equipment), "status": self.status}
        if self.complete:
            out["complete"] = list(self.complete)
        if self.steps:
            out["steps"] = dict(self.steps)
        return out

    @classmethod
    def from_dict(cls, data: Any, schema: int) -> HistoryEntry | None:
        if not isinstance(data, dict):
            return None
        try:
            sets = data["moves"] if schema == 0 else data["sets"]  # schema 0 counted a two-grip set once
            entry = cls(workout=str(data["workout"]), started_at_ms=_int(data["started_at_ms"]),
                        finished_at_ms=_int(data["finished_at_ms"]), date=str(data["date"]), sets=_int(sets),
                        equipment=tuple(str(e) for e in data.get("equipment", [])),
                        status=str(data.get("status", FINISHED)),
                        complete=tuple(str(e) for e in data.get("complete", [])),
                        steps={str(k): str(v) for k, v in dict(data.get("steps", {})).items()})
        except (KeyError, TypeError, ValueError):
            return None
        return entry if entry.status in (FINISHED, ABANDONED) else None


@dataclass(frozen=True)
class Settings:
    age: int | None = None
    recovery_bpm: int | None = None
    uploads_pending: bool = False  # some upload of this person's is not done yet: hand it Alexa's fresh token
    tempo: int = 100  # percent of each move's own tempo
    equipment: tuple[str, ...] = ()  # what they have, for the full session ("" unknown)
    equipment_asked: bool = False  # the coach asked once what they have
    mode: str = ""  # "audio" or "speech" as the person chose; "" = the device decides (audio where it can)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self.age is not None:
            out["age"] = self.age
        if self.recovery_bpm is not None:
            out["recovery_bpm"] = self.recovery_bpm
        if self.uploads_pending:
            out["uploads_pending"] = True
        if self.tempo != 100:
            out["tempo"] = self.tempo
        if self.equipment:
            out["equipment"] = list(self.equipment)
        if self.equipment_asked:
            out["equipment_asked"] = True
        if self.mode:
            out["mode"] = self.mode
        return out

    @classmethod
    def from_dict(cls, data: Any) -> Settings:
        if not isinstance(data, dict):
            return cls()
        equipment = data.get("equipment")
        return cls(age=_maybe_int(data.get("age")), recovery_bpm=_maybe_int(data.get("recovery_bpm")),
                   uploads_pending=data.get("uploads_pending") is True, tempo=_maybe_int(data.get("tempo")) or 100,
                   equipment=tuple(str(e) for e in equipment) if isinstance(equipment, list) else (),
                   equipment_asked=data.get("equipment_asked") is True,
                   mode=data["mode"] if data.get("mode") in MODES else "")


@dataclass(frozen=True)
class ZoneSeen:
    """The person's time zone as last read from their device's settings: its IANA name, a one-way hash of the
    device it was read for, and when. Carried with the record so a read is needed at most once a day per device,
    and so a failed read still has the last zone known."""

    name: str = ""  # "" = never read
    device: str = ""
    read_at_ms: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "device": self.device, "read_at_ms": self.read_at_ms}

    @classmethod
    def from_dict(cls, data: Any) -> ZoneSeen | None:
        """None when `data` is not a zone this machine knows (the record then has none)."""
        if not isinstance(data, dict) or not known_zone(data.get("name")):
            return None
        read = _maybe_int(data.get("read_at_ms")) or 0
        return cls(str(data["name"]), str(data.get("device", "")), read)


@dataclass(frozen=True)
class PersonRecord:
    workout: WorkoutState | None = None
    history: tuple[HistoryEntry, ...] = ()
    settings: Settings = field(default_factory=Settings)
    paired: bool = False
    version: int = 0
    taught: tuple[str, ...] = ()  # exercises taught in full at least once
    coaching: Coaching = field(default_factory=Coaching)
    zone: ZoneSeen = field(default_factory=ZoneSeen)

    @property
    def local_zone(self) -> str:
        """The time zone the person's calendar is counted in: the last one read, else UTC."""
        return self.zone.name or DEFAULT_ZONE

    def to_dict(self) -> dict[str, Any]:
        """The stored form (without `version`, which the store sets with each conditional write)."""
        return {**({"zone": self.zone.to_dict()} if self.zone.name else {}),
            "schema": SCHEMA,
            "workout": self.workout.to_dict() if self.workout is not None else None,
            "history": [h.to_dict() for h in self.history],
            "settings": self.settings.to_dict(),
            "wearable": {"paired": True} if self.paired else {},
            "taught": list(self.taught),
            "coaching": self.coaching.to_dict(),
        }

    @classmethod
    def from_dict(cls, data: Any, content: Content) -> tuple[PersonRecord, list[str]]:
        """The record stored as `data`, and what had to be dropped from it (for the log); never raises."""
        dropped: list[str] = []
        if not isinstance(data, dict):
            return cls(), ([] if data is None else ["record"])
        schema = data.get("schema", 0)
        if schema not in READABLE:
            return cls(version=_maybe_int(data.get("version")) or 0), ["record of an unknown schema"]
        raw = data.get("workout")
        if schema == 0 and isinstance(raw, dict):
            raw = workout_from_schema_0(raw, content)
        workout = WorkoutState.from_dict(raw) if raw is not None else None
        if raw is not None and workout is None:
            dropped.append("workout")
        history: list[HistoryEntry] = []
        for item in data.get("history") if isinstance(data.get("history"), list) else []:
            entry = HistoryEntry.from_dict(item, schema)
            if entry is None:
                dropped.append("history entry")
            else:
                history.append(entry)
        version = data.get("version", 0)
        if isinstance(version, bool) or not isinstance(version, int) or version < 0:
            dropped.append("version")
            version = 0
        wearable = data.get("wearable")
        paired = isinstance(wearable, dict) and wearable.get("paired") is True
        taught = data.get("taught")
        taught = tuple(str(t) for t in taught) if isinstance(taught, list) else ()
        if schema == 0:  # the first release taught every move in full on round one: nothing counts as taught
            taught = ()
        coaching, lost = Coaching.from_dict(data.get("coaching"))  # none before schema 2: a fresh start
        dropped += [f"coaching {what}" for what in lost]
        zone = ZoneSeen.from_dict(data.get("zone"))  # optional (no schema change); a cache: one not known is read again
        return cls(workout, tuple(history[-MAX_HISTORY:]), Settings.from_dict(data.get("settings")), paired,
                   version, taught, coaching, zone or ZoneSeen()), dropped

    def with_history(self, entry: HistoryEntry) -> PersonRecord:
        """The record with `entry`, once per workout (a workout is its workout id and start time); a finished
        entry replaces an abandoned one of the same workout, never the other way round."""
        kept = []
        for h in self.history:
            if (h.workout, h.started_at_ms) == (entry.workout, entry.started_at_ms):
                if h.status == FINISHED:
                    return self
                continue
            kept.append(h)
        return replace(self, history=(*kept, entry)[-MAX_HISTORY:])


def workout_from_schema_0(data: dict[str, Any], content: Content) -> dict[str, Any] | None:
    """A schema-0 workout (round, exercise index, set, part index; timeline and done as plan indexes) in today's
    shape, read against the plan it was written for (today's content, as it was then)."""
    try:
        workout = content.workouts[data["workout"]]
        equipment = tuple(str(e) for e in data.get("equipment", []))
        plan = build_plan(content, workout.id, equipment)
        key = ("rest" if data.get("resting") else "move", int(data.get("round", 1)), int(data.get("exercise", 0)),
               int(data.get("set", 1)), int(data.get("part", 0)))
        position = next(s.id for s in plan.steps if (s.kind, s.round, s.exercise, s.set, s.part) == key)

        def step(index: Any) -> str:
            return plan.steps[int(index)].id

        new = {k: v for k, v in data.items() if k not in ("round", "exercise", "set", "part", "resting")}
        new["position"] = position
        new["timeline"] = [[step(i), start, length] for i, start, length in data.get("timeline", [])]
        new["done"] = [[step(i), start, length] for i, start, length in data.get("done", [])]
        if data.get("phase") == "finished":
            new["finished_at_ms"] = data.get("updated_at_ms", 0)
        elif data.get("timeline") and int(data["timeline"][-1][0]) == len(plan.steps) - 1:
            last = data["timeline"][-1]
            new["finished_at_ms"] = int(data.get("response_at_ms", 0)) + int(last[1]) + int(last[2])
        return new
    except (KeyError, TypeError, ValueError, IndexError, StopIteration):
        return None


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("not a whole number")
    return value


def _maybe_int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
