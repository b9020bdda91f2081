"""An embedded store for running on a laptop: the ASK SDK persistence-adapter interface over SQLite."""

from __future__ import annotations

import json
import sqlite3
import threading
from decimal import Decimal
from pathlib import Path
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.exceptions import PersistenceException
from ask_sdk_model import RequestEnvelope

from skill.storage import StaleWriteError, expected_version

MEMORY = ":memory:"


def user_partition_key(request_envelope: RequestEnvelope) -> str:
    """One record per Alexa user, like the DynamoDB adapter's default user-id key."""
    try:
        return request_envelope.context.system.user.user_id
    except AttributeError:
        raise PersistenceException("Couldn't retrieve user id from request envelope") from None


class SQLitePersistenceAdapter(AbstractPersistenceAdapter):
    """Keeps each user's attributes as a JSON document in one SQLite table; safe to share between threads."""

    def __init__(self, path: str | Path = MEMORY) -> None:
        if str(path) != MEMORY:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL" if str(path) != MEMORY else "PRAGMA journal_mode=MEMORY")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS attributes (id TEXT PRIMARY KEY, data TEXT NOT NULL, version INTEGER)"
        )

    def get_attributes(self, request_envelope: RequestEnvelope) -> dict[str, Any]:
        key = user_partition_key(request_envelope)
        with self._lock:
            row = self._db.execute("SELECT data FROM attributes WHERE id = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else {}

    def save_attributes(self, request_envelope: RequestEnvelope, attributes: dict[str, Any]) -> None:
        key = user_partition_key(request_envelope)
        data = json.dumps(attributes, default=_number, sort_keys=True)
        expected = expected_version(attributes)
        with self._lock:
            if expected is None:
                self._db.execute(
                    "INSERT INTO attributes (id, data) VALUES (?, ?) "
                    "ON CONFLICT(id) DO UPDATE SET data = excluded.data, version = NULL",
                    (key, data),
                )
                return
            if expected == 0:
                written = self._db.execute(
                    "INSERT INTO attributes (id, data, version) VALUES (?, ?, 1) ON CONFLICT(id) DO NOTHING",
                    (key, data),
                ).rowcount
            else:
                written = self._db.execute(
                    "UPDATE attributes SET data = ?, version = ? WHERE id = ? AND version = ?",
                    (data, expected + 1, key, expected),
                ).rowcount
        if written != 1:
            raise StaleWriteError("the record changed since it was read")

    def delete_attributes(self, request_envelope: RequestEnvelope) -> None:
        key = user_partition_key(request_envelope)
        with self._lock:
            self._db.execute("DELETE FROM attributes WHERE id = ?", (key,))

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _number(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")
