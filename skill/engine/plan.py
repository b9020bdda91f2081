"""Expands a workout into the ordered steps a person goes through: each set of each move, and each rest."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from skill.content.schema import Content, Exercise, Workout

MOVE = "move"
REST = "rest"

# What a part of a set is: one side (one-arm moves), one grip, or one letter of the I-Y-T.
SIDE = "side"
GRIP = "grip"
LETTER = "letter"


@dataclass(frozen=True)
class Step:
    kind: str  # MOVE or REST
    round: int  # 1-based
    exercise: int  # index into Plan.exercises
    set: int  # 1-based
    part: int  # index into the move's parts
    exercise_id: str
    display_name: str  # how the workout names this move (the circuit may shorten the article's name)
    part_kind: str = ""  # SIDE, GRIP, LETTER or "" for a move done in one go
    part_label: str = ""
    parts: int = 1
    sets: int = 1
    reps_min: int = 0
    reps_max: int = 0
    rest_seconds: int = 0

    @property
    def id(self) -> str:
        """The step's stable id: round, exercise, set and part (or rest) by name, never by position in the plan,
        so a saved place survives a content edit that adds or removes other moves."""
        tail = "rest" if self.kind == REST else (self.part_label.replace(" ", "-").lower() or "-")
        return f"r{self.round}.{self.exercise_id}.s{self.set}.{tail}"


@dataclass(frozen=True)
class Plan:
    workout: Workout
    equipment: tuple[str, ...]
    exercises: tuple[str, ...]
    steps: tuple[Step, ...]
    # Each step's place by id, built once with the plan (hashing a whole plan to find it again cost a fifth
    # of a warm turn).
    _by_id: dict[str, int] = field(init=False, compare=False, repr=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {step.id: i for i, step in enumerate(self.steps)})

    @property
    def rounds(self) -> int:
        return self.workout.rounds

    def index(self, step_id: str) -> int | None:
        """Where the step `step_id` is in this plan; None when the plan has no such step."""
        return self._by_id.get(step_id)

    def move_count(self) -> int:
        return sum(1 for s in self.steps if s.kind == MOVE)


def available(exercise: Exercise, equipment: tuple[str, ...]) -> bool:
    """Whether a person with `equipment` can do the exercise; no equipment named means a full home gym."""
    return not equipment or "none" in exercise.equipment or any(e in equipment for e in exercise.equipment)


def _parts(exercise: Exercise, grips: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    if grips:
        return GRIP, grips
    if exercise.sides:
        return SIDE, exercise.sides
    if exercise.letters:
        return LETTER, exercise.letters
    return "", ("",)


@cache
def build_plan(content: Content, workout_id: str, equipment: tuple[str, ...] = ()) -> Plan:
    """The steps of a workout for someone with `equipment`; raises KeyError for an unknown workout."""
    workout = content.workouts[workout_id]
    # (exercise id, display name, grips, sets, reps_min, reps_max)
    blocks: list[tuple[str, str, tuple[str, ...], int, int, int]] = []
    if workout.move:
        for move in workout.move:
            name = move.name or content.exercises[move.exercise].name
            blocks.append((move.exercise, name, move.parts, 1, move.reps, move.reps))
    else:
        chosen = [content.exercises[i] for i in workout.from_exercises]
        chosen = [ex for ex in chosen if available(ex, equipment)][: workout.max_exercises]
        for ex in chosen:
            p = ex.prescription
            assert p is not None  # the loader checked it
            blocks.append((ex.id, ex.name, (), p.sets, p.reps_min, p.reps_max))

    steps: list[Step] = []
    for rnd in range(1, workout.rounds + 1):
        for index, (exercise_id, name, grips, sets, reps_min, reps_max) in enumerate(blocks):
            part_kind, labels = _parts(content.exercises[exercise_id], grips)
            for set_no in range(1, sets + 1):
                for part, label in enumerate(labels):
                    steps.append(
                        Step(MOVE, rnd, index, set_no, part, exercise_id, name, part_kind, label,
                             len(labels), sets, reps_min, reps_max)
                    )
                last_of_round = index == len(blocks) - 1 and set_no == sets
                rest = workout.rest_between_rounds_seconds if last_of_round else workout.rest_between_sets_seconds
                if rest and not (last_of_round and rnd == workout.rounds):
                    steps.append(
                        Step(REST, rnd, index, set_no, len(labels) - 1, exercise_id, name, rest_seconds=rest)
                    )
    return Plan(workout, equipment, tuple(b[0] for b in blocks), tuple(steps))
