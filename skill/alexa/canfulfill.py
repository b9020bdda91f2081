"""Alexa's CanFulfillIntentRequest: before routing a request said without the skill's name ("Alexa, how do I do
a band pull apart?") Alexa asks each candidate skill whether it can understand and do it. The answer comes from
the content alone: no record is read or written, nothing is said, nothing changes, and the same request always
gets the same answer, as the CanFulfill rules ask.

An intent is YES when the coach can do it for anyone (start a workout, explain a move, the week, reminders),
MAYBE when it acts on a workout under way or a linked account, which only the person's record knows (not read
here), and NO for Alexa's built-in intents (Alexa answers "stop" or "next" itself) and anything this skill does
not take. Every slot with a value is judged on its own: a value from the content (a known exercise, workout,
piece of equipment, letter, days, a time or a number) is YES to understand and to fulfil, anything else NO; a
NO slot makes the whole intent NO."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model.canfulfill import (
    CanFulfillIntent,
    CanFulfillIntentValues,
    CanFulfillSlot,
    CanFulfillSlotValues,
    CanUnderstandSlotValues,
)

from skill.alexa.requests import SlotValue, number_slot, slot, time_slot
from skill.content.lookup import find_equipment, find_exercise, find_letter, find_workout
from skill.content.schema import Content

YES, MAYBE, NO = "YES", "MAYBE", "NO"
# Intents a person may say without the skill's name, and how sure the coach is that it can do them.
NAME_FREE: dict[str, str] = {
    **dict.fromkeys(("StartWorkoutIntent", "ExplainExerciseIntent", "MusclesIntent", "WeekProgressIntent",
                     "WorkoutHistoryIntent", "SetReminderIntent", "StopRemindersIntent", "PairWatchIntent",
                     "UnpairWatchIntent", "SetAgeIntent", "SetRecoveryHeartRateIntent", "EquipmentIntent"), YES),
    # About the workout under way, or the account the person linked: the record says, and it is not read here.
    **dict.fromkeys(("UploadWorkoutIntent", "WorkoutStatusIntent", "SkipExerciseIntent", "ReadyIntent",
                     "SlowerIntent", "FasterIntent", "WhatsNextIntent", "TimeLeftIntent", "MakeItHarderIntent",
                     "MakeItEasierIntent", "CantDoIntent", "MoveEasyIntent", "UseSpeechModeIntent",
                     "UseAudioModeIntent"), MAYBE),
    # "This hurts" said to no skill in particular is not a workout coach's to claim.
    "PainIntent": NO,
}
# Intents that need a slot to be sure: without one they ask ("which move?"), so MAYBE.
NEEDS_SLOT = {"ExplainExerciseIntent": ("EXERCISE", "LETTER"), "MusclesIntent": ("EXERCISE",)}


@dataclass(frozen=True)
class Verdict:
    intent: str  # YES, MAYBE or NO
    slots: dict[str, bool]  # each slot with a value: understood (and so fulfilled) or not


def _exercise(content: Content, value: SlotValue, handler_input: HandlerInput) -> bool:
    return (value.resolved_id in content.exercises or find_exercise(content, value.spoken) is not None
            or bool(find_letter(content, value.spoken)))


def _letter(content: Content, value: SlotValue, handler_input: HandlerInput) -> bool:
    said = (value.resolved_id or value.spoken).upper()
    return any(said in ex.letters for ex in content.exercises.values())


def _workout(content: Content, value: SlotValue, handler_input: HandlerInput) -> bool:
    return value.resolved_id in content.workouts or find_workout(content, value.spoken) is not None


def _equipment(content: Content, value: SlotValue, handler_input: HandlerInput) -> bool:
    return value.resolved_id in content.guide.equipment or bool(find_equipment(content, value.spoken))


def _days(content: Content, value: SlotValue, handler_input: HandlerInput) -> bool:
    return (value.resolved_id in ("weekdays", "daily", "weekends")
            or value.spoken.lower() in ("weekdays", "every day", "daily", "weekends"))


def _number(name: str) -> Callable[[Content, SlotValue, HandlerInput], bool]:
    return lambda content, value, handler_input: number_slot(handler_input, name) is not None


SLOTS: dict[str, Callable[[Content, SlotValue, HandlerInput], bool]] = {
    "EXERCISE": _exercise, "LETTER": _letter, "WORKOUT": _workout, "EQUIPMENT": _equipment,
    "EQUIPMENT_TWO": _equipment, "DAYS": _days, "BPM": _number("BPM"), "AGE": _number("AGE"),
    "TIME": lambda content, value, handler_input: time_slot(handler_input, "TIME") is not None,
}


def verdict(content: Content, handler_input: HandlerInput) -> Verdict:
    """How sure the coach is that it can do what the CanFulfillIntentRequest asks, intent and slots."""
    intent = handler_input.request_envelope.request.intent
    name = (intent.name if intent is not None else "") or ""
    judged = {}
    for slot_name in sorted((intent.slots or {}) if intent is not None else {}):
        value = slot(handler_input, slot_name)
        if value.spoken:
            check = SLOTS.get(slot_name)
            judged[slot_name] = check is not None and check(content, value, handler_input)
    answer = NAME_FREE.get(name, NO)
    if not all(judged.values()):
        answer = NO
    elif answer == YES and name in NEEDS_SLOT and not any(judged.get(s) for s in NEEDS_SLOT[name]):
        answer = MAYBE
    return Verdict(answer, judged)


def can_fulfill_intent(found: Verdict) -> CanFulfillIntent:
    """The verdict as the response's canFulfillIntent object."""
    slots = {name: CanFulfillSlot(can_understand=CanUnderstandSlotValues.YES if ok else CanUnderstandSlotValues.NO,
                                  can_fulfill=CanFulfillSlotValues.YES if ok else CanFulfillSlotValues.NO)
             for name, ok in found.slots.items()}
    return CanFulfillIntent(can_fulfill=CanFulfillIntentValues(found.intent), slots=slots or None)
