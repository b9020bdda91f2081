"""What a command caused, beyond the new state and the words: the turn applies each of these.

The engine never touches storage or services; it says what happened. Effects on the record are folded into
the new record by the engine itself (skill.engine.bookkeeping); effects on the world (logs, upload jobs,
revoked tokens, reminders) are carried out by the turn (skill.turn). Applying an effect twice does no harm.
"""

from __future__ import annotations

from dataclasses import dataclass

from skill.engine.coaching import Offer
from skill.engine.history import WorkoutLog
from skill.engine.record import HistoryEntry, Settings
from skill.engine.state import WorkoutState


@dataclass(frozen=True)
class WorkoutFinished:
    """The workout's final response was produced (or it was finished outright): its history entry goes into the
    record, its log to the log store (None: not one move was done), both made once (skill.engine.history)."""

    state: WorkoutState
    entry: HistoryEntry
    log: WorkoutLog | None


@dataclass(frozen=True)
class WorkoutAbandoned:
    """A workout under way was replaced by a new one: what was done of it, kept as for a finished one."""

    state: WorkoutState
    entry: HistoryEntry
    log: WorkoutLog | None


@dataclass(frozen=True)
class SettingChanged:
    name: str  # "age", "recovery_bpm" or "mode"
    value: int | str


@dataclass(frozen=True)
class EquipmentChanged:
    """What the person has to train with, remembered for the full session."""

    equipment: tuple[str, ...]


@dataclass(frozen=True)
class ExercisesTaught:
    """These exercises were taught in full: from now on the coach gives their key cue."""

    exercises: tuple[str, ...]


@dataclass(frozen=True)
class RelinkTold:
    """The person heard that their account must be linked again (uploads failed for the old link)."""


@dataclass(frozen=True)
class PairingIssued:
    """A pairing code was spoken: the person has (or is about to have) a watch."""


@dataclass(frozen=True)
class Unpaired:
    """Every device token of the person is to be revoked."""


@dataclass(frozen=True)
class UploadRequested:
    """The person agreed to send this workout to `service`."""

    service: str
    started_at_ms: int


# -- coaching over weeks (issue 17) -----------------------------------------------------------------------


@dataclass(frozen=True)
class OfferMade:
    """The coach asked a yes-or-no question that outlives this turn (kept in the record)."""

    offer: Offer


@dataclass(frozen=True)
class OfferClosed:
    """The open question was answered, or the person moved on without answering it."""


@dataclass(frozen=True)
class StepChanged:
    """The person chose to do `exercise` as `step` ("" = as first taught) from now on."""

    exercise: str
    step: str
    after_ms: int  # the start of the last workout on record: later workouts count towards the next offer


@dataclass(frozen=True)
class StepDeclined:
    """"Not yet": the offer waits for more workouts done in full."""

    exercise: str
    after_ms: int


@dataclass(frozen=True)
class MoveEasy:
    """The person said `exercise` felt easy."""

    exercise: str


@dataclass(frozen=True)
class MissedWeekTold:
    """The week that fell short has been mentioned: never again."""


@dataclass(frozen=True)
class ProfileAdopted:
    """A recognised voice took over the account's shared history and settings (once, by choice)."""

    history: tuple[HistoryEntry, ...]
    settings: Settings
    steps: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class AdoptOffered:
    """The recognised voice has been asked (once) whether to bring the shared history over."""


@dataclass(frozen=True)
class RemindersRequested:
    """Create recurring workout reminders: `days` ("weekdays", "daily", "weekends") at `minute` past midnight,
    replacing the ones this skill made for the person before (`replacing`, alert tokens)."""

    days: str
    minute: int
    replacing: tuple[str, ...] = ()


@dataclass(frozen=True)
class RemindersCancelled:
    """Delete the reminders this skill created for the person (alert tokens)."""

    tokens: tuple[str, ...]


@dataclass(frozen=True)
class RemindersSaved:
    """The reminders the service holds for the person now (what the turn reports back through the engine)."""

    tokens: tuple[str, ...]
    days: str
    minute: int


@dataclass(frozen=True)
class PermissionExplained:
    """How to grant the reminders permission has been said once."""


Effect = (WorkoutFinished | WorkoutAbandoned | SettingChanged | EquipmentChanged | ExercisesTaught | RelinkTold
          | PairingIssued
          | Unpaired | UploadRequested
          | OfferMade | OfferClosed | StepChanged | StepDeclined | MoveEasy | MissedWeekTold | ProfileAdopted
          | AdoptOffered | RemindersRequested | RemindersCancelled | RemindersSaved | PermissionExplained)
