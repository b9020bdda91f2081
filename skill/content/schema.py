"""The content schema: plain frozen dataclasses, checked field by field when the data files are loaded.

Dataclasses rather than a validation library keep the Lambda package pure Python (see docs/architecture.md).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from typing import Any, Union


class ContentError(ValueError):
    """A content file breaks the schema; the message names the file, the item and the field."""


@dataclass(frozen=True)
class Prescription:
    """The article's beginner sets and reps, as numbers; speech renders them in words."""

    sets: int
    reps_min: int
    reps_max: int
    per_arm: bool = False
    modifier: str = ""  # a spoken line said before the sets and reps ("Keep your knees bent ...")


@dataclass(frozen=True)
class Exercise:
    id: str
    number: int
    name: str
    spoken_name: str
    synonyms: tuple[str, ...]
    equipment: tuple[str, ...]
    setup: str  # where to stand or lie and what to hold, said before the first set
    cues: tuple[str, ...]  # the movement, one instruction per sentence, in the order of the rep
    cautions: tuple[str, ...]  # form cautions, said after the cues
    key_cue: str  # the one line said on later sets instead of the full teaching
    prescription: Prescription | None = None
    sides: tuple[str, ...] = ()
    letters: tuple[str, ...] = ()
    letter_cues: tuple[str, ...] = ()  # one line per letter, said as that letter starts
    # The phases of one rep and their seconds, as the count says them: "pull 1, hold 1, back 1.5".
    tempo: str = "up 1, down 1"

    @property
    def phases(self) -> tuple[tuple[str, float], ...]:
        """The tempo as (word, seconds) pairs; the loader checked it parses."""
        return parse_tempo(self.tempo)

    @property
    def teaching(self) -> tuple[str, ...]:
        """Everything the coach says to teach the move: setup, movement cues, cautions."""
        return (self.setup, *self.cues, *self.cautions)

    @property
    def spoken_lines(self) -> tuple[str, ...]:
        """Every line of this exercise that may be spoken."""
        modifier = (self.prescription.modifier,) if self.prescription and self.prescription.modifier else ()
        return (*self.teaching, self.key_cue, *self.letter_cues, *modifier)

    @property
    def in_article_list(self) -> bool:
        return self.number > 0


def parse_tempo(text: str) -> tuple[tuple[str, float], ...]:
    """'pull 1, hold 1, back 1.5' -> (('pull', 1.0), ('hold', 1.0), ('back', 1.5)); ValueError if malformed."""
    phases = []
    for part in text.split(","):
        word, _, seconds = part.strip().rpartition(" ")
        if not word or not word.replace(" ", "").isalpha() or not 0.5 <= float(seconds) <= 4:
            raise ValueError(f"expected 'word seconds' pairs with 0.5 to 4 seconds, got {part.strip()!r}")
        phases.append((word, float(seconds)))
    if not 1 <= len(phases) <= 4:
        raise ValueError("a rep has one to four phases")
    return tuple(phases)


@dataclass(frozen=True)
class WorkoutMove:
    exercise: str
    reps: int
    parts: tuple[str, ...] = ()
    name: str = ""


@dataclass(frozen=True)
class Workout:
    id: str
    name: str
    spoken_name: str
    synonyms: tuple[str, ...]
    rounds: int
    rest_between_rounds_seconds: int
    rest_between_sets_seconds: int
    days_per_week: int
    minutes: int = 0
    move: tuple[WorkoutMove, ...] = ()
    max_exercises: int = 0
    # Built from the exercises the person has equipment for, in their numbered order (filled in by the loader
    # from each exercise's `number`, so the data never spells the list out).
    from_numbered_exercises: bool = False
    from_exercises: tuple[str, ...] = ()
    default: bool = False  # the workout "start my back workout" means


@dataclass(frozen=True)
class Progression:
    """A way to make an exercise harder without more weight."""

    id: str
    name: str  # how the coach names it: "pause reps"
    description: str  # one spoken line on how to do it
    cue: str = ""  # one spoken line said as each set of an exercise done this way starts
    count: str = ""  # how the reps are counted: "hold" (a pause at the squeeze), "lower" (a slow count back), ""


@dataclass(frozen=True)
class Ladder:
    """The next steps of one exercise, easiest first (progression ids)."""

    exercise: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class Guide:
    muscles: tuple[str, ...]  # trained mainly
    muscles_minor: tuple[str, ...]  # trained to a smaller extent
    frequency: str
    weekly_exercises: str
    progression: tuple[Progression, ...]
    equipment: dict[str, tuple[str, ...]]
    ladder: tuple[Ladder, ...] = ()
    sessions_to_progress: int = 3
    letter_words: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)  # "why" for the Y

    @property
    def spoken_lines(self) -> tuple[str, ...]:
        """Every line of the guide that may be spoken as a sentence."""
        return (self.frequency, self.weekly_exercises, *[p.description for p in self.progression],
                *[p.cue for p in self.progression if p.cue])

    def progressions(self) -> dict[str, Progression]:
        return {p.id: p for p in self.progression}

    def ladder_of(self, exercise: str) -> tuple[str, ...]:
        """The exercise's next steps, easiest first (none for an exercise without a ladder)."""
        return next((ladder.steps for ladder in self.ladder if ladder.exercise == exercise), ())


@dataclass(frozen=True, eq=False)
class Content:
    """All the coaching content, validated; the one source of truth for names, numbers and cues.

    Compared and hashed by identity, so lookups built from it can be cached per content object.
    """

    exercises: dict[str, Exercise]
    workouts: dict[str, Workout]
    guide: Guide

    @property
    def default_workout(self) -> Workout:
        return next(w for w in self.workouts.values() if w.default)

    @property
    def equipment_workout(self) -> Workout:
        """The workout built from what the person has ("I only have a band")."""
        return next(w for w in self.workouts.values() if w.from_exercises)


def build(cls: type, raw: Any, where: str) -> Any:
    """Build a frozen dataclass from parsed TOML, or raise ContentError naming where the problem is."""
    if not isinstance(raw, dict):
        raise ContentError(f"{where}: expected a table, got {type(raw).__name__}")
    hints = typing.get_type_hints(cls)
    known = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ContentError(f"{where}: field '{unknown[0]}': not a field of {cls.__name__}")
    values: dict[str, Any] = {}
    label = f"{where} '{raw['id']}'" if isinstance(raw.get("id"), str) else where
    for f in dataclasses.fields(cls):
        if f.name not in raw:
            if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
                raise ContentError(f"{label}: field '{f.name}': missing")
            continue
        values[f.name] = _convert(hints[f.name], raw[f.name], f"{label}: field '{f.name}'")
    return cls(**values)


def _convert(hint: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return None if value is None else _convert(inner[0], value, where)
    if origin is tuple:
        if not isinstance(value, list):
            raise ContentError(f"{where}: expected a list, got {type(value).__name__}")
        return tuple(_convert(args[0], item, f"{where}[{i}]") for i, item in enumerate(value))
    if origin is dict:
        if not isinstance(value, dict):
            raise ContentError(f"{where}: expected a table, got {type(value).__name__}")
        return {str(k): _convert(args[1], v, f"{where}.{k}") for k, v in value.items()}
    if dataclasses.is_dataclass(hint):
        return build(hint, value, where)
    if hint is bool:
        if not isinstance(value, bool):
            raise ContentError(f"{where}: expected true or false, got {value!r}")
        return value
    if hint is int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ContentError(f"{where}: expected a whole number >= 0, got {value!r}")
        return value
    if hint is str:
        if not isinstance(value, str) or (value != value.strip()):
            raise ContentError(f"{where}: expected text without surrounding spaces, got {value!r}")
        return value
    raise TypeError(f"unsupported schema type {hint!r}")  # a schema bug, not a content error
