"""What a command caused, beyond the new state and the words: the turn applies each of these.

The engine never touches storage or services; it says what happened, and the turn (skill.alexa.turns) writes
logs, queues uploads and revokes tokens accordingly. Applying an effect twice does no harm.
"""

from __future__ import annotations

from dataclasses import dataclass

from skill.engine.state import WorkoutState


@dataclass(frozen=True)
class WorkoutFinished:
    """The workout's final response was produced (or it was finished outright): log it and count it."""

    state: WorkoutState


@dataclass(frozen=True)
class WorkoutAbandoned:
    """A workout under way was replaced by a new one: log what was done of it."""

    state: WorkoutState


@dataclass(frozen=True)
class SettingChanged:
    name: str  # "age", "recovery_bpm" or "mode"
    value: int | str


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


Effect = WorkoutFinished | WorkoutAbandoned | SettingChanged | PairingIssued | Unpaired | UploadRequested
