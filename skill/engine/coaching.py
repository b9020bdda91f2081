"""The coaching kept over weeks in a person's record: the streak of weeks met, the step each exercise is at,
what the coach offered and is waiting an answer to, reminders, and what the person has already been told.

Plain values, stored under the record's "coaching" key; `Coaching.from_dict` never raises and drops what does
not pass its checks (a record written before this existed has none, and loads as a fresh start).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Offers the coach makes and waits a yes or no to (the upload offer lives on the workout state, as before).
PROGRESS, REMINDER, ADOPT = "progress", "reminder", "adopt"
OFFER_KINDS = (PROGRESS, REMINDER, ADOPT)
MAX_TEXT = 120


@dataclass(frozen=True)
class Offer:
    kind: str  # one of OFFER_KINDS
    exercise: str = ""  # PROGRESS: the exercise
    step: str = ""  # PROGRESS: the progression id offered
    days: str = ""  # REMINDER: "weekdays", "daily" or "weekends"
    minute: int = 0  # REMINDER: minutes after midnight, local time

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "exercise": self.exercise, "step": self.step, "days": self.days,
                "minute": self.minute}

    @classmethod
    def from_dict(cls, data: Any) -> Offer | None:
        if not isinstance(data, dict) or data.get("kind") not in OFFER_KINDS:
            return None
        minute = data.get("minute", 0)
        texts = [data.get(k, "") for k in ("exercise", "step", "days")]
        if not all(isinstance(t, str) and len(t) <= MAX_TEXT for t in texts) or not _whole(minute):
            return None
        return cls(data["kind"], texts[0], texts[1], texts[2], minute)


@dataclass(frozen=True)
class Coaching:
    steps: dict[str, str] = field(default_factory=dict)  # exercise id -> progression id now done ("" = as taught)
    changed_at_ms: int = 0  # start of the last workout before the latest change (offers count sessions after it)
    declined: dict[str, int] = field(default_factory=dict)  # exercise -> the same mark when "not yet" was said
    easy: tuple[str, ...] = ()  # exercises the person called easy since their last change
    streak: int = 0  # weeks in a row the plan was met, up to `counted_week`
    counted_week: str = ""  # ISO date of the Monday of the last whole week counted
    missed_week: str = ""  # the Monday of the last week that fell short and has not been mentioned yet
    offer: Offer | None = None
    reminders: tuple[str, ...] = ()  # alert tokens of the reminders this skill created for the person
    reminder_days: str = ""
    reminder_minute: int = 0
    permission_told: bool = False  # how to grant the reminders permission was explained once
    adopt_offered: bool = False  # a recognised voice was offered the shared history (once)

    def step(self, exercise: str) -> str:
        return self.steps.get(exercise, "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "steps": dict(self.steps), "changed_at_ms": self.changed_at_ms, "declined": dict(self.declined),
            "easy": list(self.easy), "streak": self.streak, "counted_week": self.counted_week,
            "missed_week": self.missed_week, "offer": self.offer.to_dict() if self.offer else None,
            "reminders": list(self.reminders), "reminder_days": self.reminder_days,
            "reminder_minute": self.reminder_minute, "permission_told": self.permission_told,
            "adopt_offered": self.adopt_offered,
        }

    @classmethod
    def from_dict(cls, data: Any) -> tuple[Coaching, list[str]]:
        """The coaching stored as `data` (None: a record from before it existed), and what had to be dropped."""
        if data is None:
            return cls(), []
        if not isinstance(data, dict):
            return cls(), ["coaching"]
        dropped: list[str] = []

        def texts(key: str) -> tuple[str, ...]:
            raw = data.get(key, [])
            if isinstance(raw, list) and all(_text(t) for t in raw):
                return tuple(raw)
            dropped.append(key)
            return ()

        def mapping(key: str, check: Any) -> dict[str, Any]:
            raw = data.get(key, {})
            if isinstance(raw, dict) and all(_text(k) and check(v) for k, v in raw.items()):
                return dict(raw)
            dropped.append(key)
            return {}

        def number(key: str) -> int:
            raw = data.get(key, 0)
            if _whole(raw):
                return int(raw)
            dropped.append(key)
            return 0

        def text(key: str) -> str:
            raw = data.get(key, "")
            if _text(raw):
                return str(raw)
            dropped.append(key)
            return ""

        offer = Offer.from_dict(data.get("offer")) if data.get("offer") is not None else None
        if data.get("offer") is not None and offer is None:
            dropped.append("offer")
        coaching = cls(
            steps=mapping("steps", _text), changed_at_ms=number("changed_at_ms"),
            declined=mapping("declined", _whole), easy=texts("easy"), streak=number("streak"),
            counted_week=text("counted_week"), missed_week=text("missed_week"), offer=offer,
            reminders=texts("reminders"), reminder_days=text("reminder_days"),
            reminder_minute=number("reminder_minute"), permission_told=data.get("permission_told") is True,
            adopt_offered=data.get("adopt_offered") is True,
        )
        return coaching, dropped


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= MAX_TEXT * 4
