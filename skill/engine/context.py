"""Everything one decision reads: the person's record as stored, the command of this request, and what the turn
found out for it (`Services`). Read-only views: nothing is copied out of the record, so a decision made again
on a fresh record (a write conflict) sees that record, whole."""

from __future__ import annotations

from dataclasses import dataclass, field

from skill.engine.calendar import DEFAULT_ZONE
from skill.engine.coaching import Coaching
from skill.engine.commands import Cmd, Command
from skill.engine.record import HistoryEntry, PersonRecord
from skill.engine.rest import Vitals


@dataclass(frozen=True)
class Services:
    """What the turn gathered for this request: live facts from outside the record."""

    vitals: Vitals | None = None  # the paired wearable's recent heart rate, when there is one
    code: str = ""  # PAIR: the one-time code issued for this person ("" when wearables are not set up)
    upload_service: str = ""  # where finished workouts can be sent ("strava", "fitbit"; "" when not set up)
    linked: bool = False  # the person has linked their account with that service
    relink: str = ""  # LAUNCH: an upload service whose account must be linked again ("" when none)
    person: bool = False  # a recognised voice with a profile of its own
    shared: PersonRecord | None = None  # YES to taking over the shared history: the shared profile's record
    player: bool = False  # the device plays AudioPlayer streams (the audio mode is possible)


@dataclass(frozen=True)
class Context:
    record: PersonRecord
    command: Command
    services: Services = field(default_factory=Services)

    # -- the command ------------------------------------------------------------------------------------------

    @property
    def name(self) -> Cmd:
        return self.command.name

    @property
    def new_session(self) -> bool:
        return self.command.new_session

    # -- what the record says ---------------------------------------------------------------------------------

    @property
    def zone(self) -> str:
        """The person's time zone (IANA): calendar days, weeks and "days ago" count in it."""
        return self.record.local_zone or DEFAULT_ZONE

    @property
    def tempo(self) -> int:
        return self.record.settings.tempo

    @property
    def taught(self) -> tuple[str, ...]:
        return self.record.taught

    @property
    def first_ever(self) -> bool:
        """No workout done yet: the first one starts with a word on pain."""
        return not self.record.history

    @property
    def known_equipment(self) -> tuple[str, ...]:
        return self.record.settings.equipment

    @property
    def equipment_asked(self) -> bool:
        return self.record.settings.equipment_asked

    @property
    def history(self) -> tuple[HistoryEntry, ...]:
        return self.record.history

    @property
    def coaching(self) -> Coaching:
        return self.record.coaching

    # -- what the turn found out ------------------------------------------------------------------------------

    @property
    def vitals(self) -> Vitals | None:
        return self.services.vitals

    @property
    def upload_service(self) -> str:
        return self.services.upload_service

    @property
    def linked(self) -> bool:
        return self.services.linked
