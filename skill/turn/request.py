"""What a platform hands the turn: who is speaking, the command, when, in which language, what the session carries,
and the platform's own calls (the device's time zone, reminders). What the turn hands back: the outcome (with the
new record), the language it was decided in, and what the session must carry to the next turn."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from skill.engine.commands import Command, Outcome
from skill.engine.record import PersonRecord

ZoneSource = Callable[[], str]  # the device's IANA zone; raises ZoneUnknown (or anything else) when it cannot


class ZoneUnknown(Exception):
    """The device's zone could not be read; the message says why, without ids (it is logged)."""


@dataclass(frozen=True)
class Who:
    """Whose data a request reads and writes (keys built by the platform from checked ids)."""

    record_key: str  # the person's record: a recognised voice's own, or the account's shared one
    shared_key: str  # the account's shared record (a recognised voice may take it over, once)
    person_key: str  # a one-way hash: how logs, uploads and heart rate refer to the person
    log_key: str  # a short one-way hash, for log lines (never an id)
    person: bool = False  # a recognised voice with a profile of its own


@dataclass(frozen=True)
class Session:
    """What the platform's session carries between turns (nothing but these)."""

    new: bool = False
    unsaved: dict[str, Any] | None = None  # a record whose write failed: written by the next turn
    zone_tried: bool = False  # the device's zone was read (or tried) in this session


class Reminders(Protocol):
    """The platform's reminders service for this request (Alexa's Reminders API). Both raise
    skill.engine.reminders.RemindersFailed with what went wrong."""

    def create(self, days: str, minute: int, now_ms: int, zone: str) -> str: ...

    def delete(self, token: str) -> None: ...


@dataclass(frozen=True)
class TurnRequest:
    who: Who
    command: Command
    now_ms: int
    locale: str = "en-US"
    session: Session | None = None  # None: a request without a session (an audio player's event)
    device: str = ""  # a one-way hash of the device ("" when the request names none)
    access_token: str = ""  # the account the person linked (Alexa account linking)
    player: bool = False  # the device plays audio streams
    zone: ZoneSource | None = None  # where the device's time zone is read from (None: it is not)
    zone_max_age_ms: int = 24 * 3600 * 1000  # how long a zone read is trusted
    reminders: Callable[[], Reminders] | None = None  # the reminders service, built when first needed
    hello: bool = False  # someone saying hello: the welcome does not wait on a zone it does not use


@dataclass(frozen=True)
class TurnResult:
    outcome: Outcome
    record: PersonRecord
    language: str
    who: Who
    carry: dict[str, Any] = field(default_factory=dict)  # what the session must carry to the next turn
