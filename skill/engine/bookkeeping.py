"""How an outcome's effects change the person's record: history, settings, the paired watch. Pure."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from skill.content.schema import Content
from skill.engine.coaching import Coaching
from skill.engine.effects import (
    AdoptOffered,
    EquipmentChanged,
    ExercisesTaught,
    MissedWeekTold,
    MoveEasy,
    OfferClosed,
    OfferMade,
    PairingIssued,
    PermissionExplained,
    ProfileAdopted,
    RemindersSaved,
    SettingChanged,
    StepChanged,
    StepDeclined,
    Unpaired,
    UploadRequested,
    WorkoutAbandoned,
    WorkoutFinished,
)
from skill.engine.record import PersonRecord
from skill.engine.state import WorkoutState
from skill.engine.weeks import roll


def recorded(content: Content, record: PersonRecord, state: WorkoutState | None, effects: Iterable[object],
             now_ms: int) -> PersonRecord:
    """`record` with the workout at `state`, and every one of `effects` that belongs in the record."""
    new = replace(record, workout=state)
    for effect in effects:
        if isinstance(effect, WorkoutFinished | WorkoutAbandoned):
            new = new.with_history(effect.entry)
            if isinstance(effect, WorkoutFinished):  # the weeks since the last one counted, counted once
                target = content.default_workout.days_per_week
                new = replace(new, coaching=roll(new.coaching, new.history, target, now_ms, new.local_zone))
        elif isinstance(effect, SettingChanged):
            value = bool(effect.value) if effect.name == "equipment_asked" else effect.value
            new = replace(new, settings=replace(new.settings, **{effect.name: value}))
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
        elif isinstance(effect, ProfileAdopted):
            for h in effect.history:  # the person's own entries stay; the shared ones join them, each once
                new = new.with_history(h)
            ordered = tuple(sorted(new.history, key=lambda h: h.started_at_ms))
            settings = new.settings if new.settings != type(new.settings)() else effect.settings
            new = replace(new, history=ordered, settings=replace(settings, uploads_pending=False),
                          coaching=coached(new, effect))
        else:
            new = replace(new, coaching=coached(new, effect))
    return new


def coached(record: PersonRecord, effect: object) -> Coaching:
    """The record's coaching after one of the coaching effects (issue 17)."""
    c = record.coaching
    if isinstance(effect, OfferMade):
        return replace(c, offer=effect.offer)
    if isinstance(effect, OfferClosed):
        return replace(c, offer=None)
    if isinstance(effect, StepChanged):
        steps = {**c.steps, effect.exercise: effect.step}
        return replace(c, steps={k: v for k, v in steps.items() if v}, changed_at_ms=effect.after_ms,
                       easy=tuple(e for e in c.easy if e != effect.exercise))
    if isinstance(effect, StepDeclined):
        return replace(c, declined={**c.declined, effect.exercise: effect.after_ms},
                       easy=tuple(e for e in c.easy if e != effect.exercise))
    if isinstance(effect, MoveEasy):
        return replace(c, easy=(*[e for e in c.easy if e != effect.exercise], effect.exercise))
    if isinstance(effect, MissedWeekTold):
        return replace(c, missed_week="")
    if isinstance(effect, AdoptOffered):
        return replace(c, adopt_offered=True)
    if isinstance(effect, ProfileAdopted):
        return replace(c, steps={**dict(effect.steps), **c.steps}, adopt_offered=True)
    if isinstance(effect, RemindersSaved):
        return replace(c, reminders=effect.tokens, reminder_days=effect.days, reminder_minute=effect.minute)
    if isinstance(effect, PermissionExplained):
        return replace(c, permission_told=True)
    return c
