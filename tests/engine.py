"""Test shorthand for the engine: a command with what the person's record and the turn would bring with it, and
the engine's front door called on a bare workout state (the record made up around it)."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from skill.engine import decide
from skill.engine.coach import Coach
from skill.engine.coaching import Coaching
from skill.engine.commands import Cmd, Command, Outcome
from skill.engine.context import Services
from skill.engine.record import HistoryEntry, PersonRecord, Settings
from skill.engine.state import WorkoutState

# A workout done long ago: someone who is not new (no word on pain first), with nothing in this week's count.
LONG_AGO = HistoryEntry(workout="six_minute", started_at_ms=1_500_000_000_000, finished_at_ms=1_500_000_400_000,
                        date="2017-07-14", sets=16)
COMMAND_FIELDS = {f.name for f in fields(Command)}
SERVICE_FIELDS = {f.name for f in fields(Services)}


@dataclass(frozen=True)
class Ask:
    """A command, and what the test wants the record and the services to say around it."""

    name: Cmd
    extra: dict[str, Any] = field(default_factory=dict)

    def __init__(self, name: Cmd, extra: dict[str, Any] | None = None, **kwargs: Any) -> None:
        object.__setattr__(self, "name", name)  # `extra`: so that dataclasses.replace(ask, name=...) works
        object.__setattr__(self, "extra", {**(extra or {}), **kwargs})


def handle(coach: Coach, state: WorkoutState | None, asked: Command | Ask, now_ms: int, **around: Any) -> Outcome:
    """`around`: vitals, upload_service, linked, code (services); taught, tempo, history, coaching, first_ever,
    known_equipment, equipment_asked, zone (the record)."""
    if isinstance(asked, Ask):
        around = {**asked.extra, **around}
        command = Command(asked.name, **{k: v for k, v in around.items() if k in COMMAND_FIELDS})
    else:
        command = asked
    services = Services(**{k: v for k, v in around.items() if k in SERVICE_FIELDS})
    return decide.handle(coach, record_around(state, **around), command, services, now_ms)


def record_around(state: WorkoutState | None, *, taught: tuple[str, ...] = (), tempo: int = 100,
                  history: tuple[HistoryEntry, ...] | None = None, coaching: Coaching | None = None,
                  first_ever: bool = False, known_equipment: tuple[str, ...] = (), equipment_asked: bool = False,
                  **_: Any) -> PersonRecord:
    if history is None:
        history = () if first_ever else (LONG_AGO,)
    settings = Settings(tempo=tempo, equipment=known_equipment, equipment_asked=equipment_asked)
    return PersonRecord(workout=state, history=history, settings=settings, taught=taught,
                        coaching=coaching or Coaching())
