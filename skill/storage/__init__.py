"""Storage behind the ASK SDK persistence-adapter interface: SQLite locally, DynamoDB when deployed.

Both adapters make a write conditional when the attributes carry a `version`: the write of version N only
succeeds if the stored record is still at N - 1 (or absent, for N = 1); otherwise StaleWriteError.
"""

from ask_sdk_core.exceptions import PersistenceException

VERSION = "version"


class StaleWriteError(PersistenceException):
    """Someone else (another Echo on the same account) saved first: re-read and try again."""


def expected_version(attributes: dict) -> int | None:
    """The stored version a conditional write expects, or None for an unconditional write."""
    if VERSION not in attributes:
        return None
    return int(attributes[VERSION]) - 1
