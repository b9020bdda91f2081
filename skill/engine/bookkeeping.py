"""How an outcome's effects change the person's record: history, settings, the paired watch. Pure."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from skill.engine.commands import Outcome
from skill.engine.effects import (
    EquipmentChanged,
    ExercisesTaught,
    PairingIssued,
    SettingChanged,
    Unpaired,
    UploadRequested,
    WorkoutAbandoned,
    WorkoutFinished,
)
from skill.engine.history import entry
from skill.engine.record import ABANDONED, FINISHED, PersonRecord

if TYPE_CHECKING:
    from skill.engine.coach import Coach


def recorded(coach: Coach, record: PersonRecord, outcome: Outcome, now_ms: int) -> PersonRecord:
    """`record` after `outcome`: its new workout state and every effect that belongs in the record."""
    new = replace(record, workout=outcome.state)
    for effect in outcome.effects:
        if isinstance(effect, WorkoutFinished | WorkoutAbandoned):
            plan = coach.plan(effect.state)
            if plan is not None:
                status = FINISHED if isinstance(effect, WorkoutFinished) else ABANDONED
                new = new.with_history(entry(plan, effect.state, status, now_ms))
        elif isinstance(effect, SettingChanged):
            new = replace(new, settings=replace(new.settings, **{effect.name: effect.value}))
        elif isinstance(effect, EquipmentChanged):
            new = replace(new, settings=replace(new.settings, equipment=effect.equipment))
        elif isinstance(effect, ExercisesTaught):
            new = replace(new, taught=(*new.taught, *(e for e in effect.exercises if e not in new.taught)))
        elif isinstance(effect, PairingIssued):
            new = replace(new, paired=True)
        elif isinstance(effect, Unpaired):
            new = replace(new, paired=False)
        elif isinstance(effect, UploadRequested):
            new = replace(new, settings=replace(new.settings, uploads_pending=True))
    return new
