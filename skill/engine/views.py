"""What the platform is told besides the words: a typed, plain description of one step (for speech), the card
for the Alexa app, and what a screen shows when it is not the workout itself."""

from __future__ import annotations

from dataclasses import dataclass

from skill.engine.plan import MOVE, Plan
from skill.engine.script import Prompt


@dataclass(frozen=True)
class Where:
    kind: str  # MOVE or REST
    exercise: str  # the exercise id
    name: str  # how the workout names the move
    part_kind: str
    part_label: str
    parts: int
    set: int
    sets: int
    round: int
    rounds: int
    reps_min: int
    reps_max: int
    rest_seconds: int
    workout: str  # the workout's name
    moves_left: int
    moves_left_in_round: int
    round_start: bool


def where(plan: Plan, i: int) -> Where:
    """Step `i` of `plan` (the last step for an index past the end)."""
    index = min(i, len(plan.steps) - 1)
    step = plan.steps[index]
    return Where(
        kind=step.kind, exercise=step.exercise_id, name=step.display_name, part_kind=step.part_kind,
        part_label=step.part_label, parts=step.parts, set=step.set, sets=step.sets, round=step.round,
        rounds=plan.rounds, reps_min=step.reps_min, reps_max=step.reps_max, rest_seconds=step.rest_seconds,
        workout=plan.workout.name,
        moves_left=sum(1 for s in plan.steps[i:] if s.kind == MOVE),
        moves_left_in_round=sum(1 for s in plan.steps[i:] if s.kind == MOVE and s.round == step.round),
        round_start=index == 0 or plan.steps[index - 1].round != step.round,
    )


# -- cards: what the Alexa app shows after a response ----------------------------------------------------------

@dataclass(frozen=True)
class LinkAccount:
    """Where to link the account of the upload service."""


@dataclass(frozen=True)
class RemindersPermission:
    """Where to grant the reminders permission."""


@dataclass(frozen=True)
class Summary:
    """A finished workout in a few lines, one prompt each."""

    lines: tuple[Prompt, ...]


Card = LinkAccount | RemindersPermission | Summary


# -- what a screen shows when it is not the workout under way --------------------------------------------------

@dataclass(frozen=True)
class Explained:
    """How to do an exercise: its cues beside the spoken answer."""

    exercise: str


@dataclass(frozen=True)
class WeekShown:
    """The week so far, as a row of days."""


@dataclass(frozen=True)
class Concluded:
    """A finished workout: time, sets, the heart rate, the week."""


@dataclass(frozen=True)
class PairingCode:
    code: str


Shown = Explained | WeekShown | Concluded | PairingCode
