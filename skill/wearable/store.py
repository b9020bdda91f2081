"""Where pairing codes, device tokens and heart-rate samples live: SQLite locally, DynamoDB when deployed.

People are identified here by a one-way hash of their Alexa user id (`user`), never by the id itself; codes
and tokens are stored hashed.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any, Protocol

SAMPLE_TTL_S = 30 * 24 * 3600  # heart rate is kept a month, for exports of recent workouts
PAIRING_TTL_S = 10 * 60


class WearableStore(Protocol):
    def save_pairing(self, code_hash: str, user: str, expires_at: int) -> None: ...

    def redeem_pairing(self, code_hash: str, now: int) -> str | None:
        """The user a code was issued for, removing it (single use); None if wrong, expired or used."""

    def save_token(self, token_hash: str, user: str, device: str, now: int) -> None: ...

    def user_for_token(self, token_hash: str) -> str | None: ...

    def revoke(self, user: str) -> int:
        """Removes every device token of `user`; returns how many."""

    def put_samples(self, user: str, samples: list[tuple[int, int]], now: int) -> None: ...

    def recent_samples(self, user: str, since_ms: int) -> list[tuple[int, int]]: ...

    def put_event(self, user: str, kind: str, at_ms: int, now: int) -> None: ...

    def save_log(self, user: str, log: dict[str, Any]) -> None:
        """Keeps a workout's log (see skill.engine.history.workout_log), keyed by its start time."""

    def logs(self, user: str, since_ms: int = 0) -> list[dict[str, Any]]:
        """The person's workout logs that started at or after `since_ms`, oldest first."""


class SQLiteWearableStore:
    def __init__(self, path: str | Path = ":memory:") -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        if str(path) != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(
            """
            CREATE TABLE IF NOT EXISTS pairings (code_hash TEXT PRIMARY KEY, user TEXT, expires_at INTEGER);
            CREATE TABLE IF NOT EXISTS tokens (token_hash TEXT PRIMARY KEY, user TEXT, device TEXT, created INTEGER);
            CREATE TABLE IF NOT EXISTS samples (user TEXT, t INTEGER, bpm INTEGER, expires_at INTEGER,
                                                PRIMARY KEY (user, t));
            CREATE TABLE IF NOT EXISTS events (user TEXT, t INTEGER, kind TEXT, expires_at INTEGER);
            CREATE TABLE IF NOT EXISTS logs (user TEXT, t INTEGER, log TEXT, PRIMARY KEY (user, t));
            """
        )

    def _run(self, sql: str, args: tuple[Any, ...] = ()) -> sqlite3.Cursor:
        with self._lock:
            return self._db.execute(sql, args)

    def save_pairing(self, code_hash: str, user: str, expires_at: int) -> None:
        self._run("INSERT OR REPLACE INTO pairings VALUES (?, ?, ?)", (code_hash, user, expires_at))

    def redeem_pairing(self, code_hash: str, now: int) -> str | None:
        row = self._run("DELETE FROM pairings WHERE code_hash = ? RETURNING user, expires_at", (code_hash,)).fetchone()
        return row[0] if row and row[1] > now else None

    def save_token(self, token_hash: str, user: str, device: str, now: int) -> None:
        self._run("INSERT INTO tokens VALUES (?, ?, ?, ?)", (token_hash, user, device, now))

    def user_for_token(self, token_hash: str) -> str | None:
        row = self._run("SELECT user FROM tokens WHERE token_hash = ?", (token_hash,)).fetchone()
        return row[0] if row else None

    def revoke(self, user: str) -> int:
        return self._run("DELETE FROM tokens WHERE user = ?", (user,)).rowcount

    def put_samples(self, user: str, samples: list[tuple[int, int]], now: int) -> None:
        with self._lock:
            self._db.execute("BEGIN")  # one transaction per batch, not one per sample
            try:
                self._db.executemany(
                    "INSERT OR REPLACE INTO samples VALUES (?, ?, ?, ?)",
                    [(user, t, bpm, now + SAMPLE_TTL_S) for t, bpm in samples],
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def recent_samples(self, user: str, since_ms: int) -> list[tuple[int, int]]:
        rows = self._run("SELECT t, bpm FROM samples WHERE user = ? AND t >= ? ORDER BY t", (user, since_ms))
        return [(t, bpm) for t, bpm in rows.fetchall()]

    def put_event(self, user: str, kind: str, at_ms: int, now: int) -> None:
        self._run("INSERT INTO events VALUES (?, ?, ?, ?)", (user, at_ms, kind, now + SAMPLE_TTL_S))

    def save_log(self, user: str, log: dict[str, Any]) -> None:
        self._run("INSERT OR REPLACE INTO logs VALUES (?, ?, ?)", (user, log["started_at_ms"], json.dumps(log)))

    def logs(self, user: str, since_ms: int = 0) -> list[dict[str, Any]]:
        rows = self._run("SELECT log FROM logs WHERE user = ? AND t >= ? ORDER BY t", (user, since_ms)).fetchall()
        return [json.loads(r[0]) for r in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()


class DynamoWearableStore:
    """Pairing codes and tokens in the skill's state table (keys `pair#…`, `token#…`, `tokens#…`; codes expire
    through the table's TTL attribute), samples and events in the samples table (`user`, `t`)."""

    def __init__(self, state_table: str, samples_table: str, resource_factory: Any) -> None:
        self._names = (state_table, samples_table)
        self._factory = resource_factory
        self._resource: Any = None

    def _tables(self) -> tuple[Any, Any]:
        if self._resource is None:
            self._resource = self._factory()
        return self._resource.Table(self._names[0]), self._resource.Table(self._names[1])

    def save_pairing(self, code_hash: str, user: str, expires_at: int) -> None:
        self._tables()[0].put_item(Item={"id": f"pair#{code_hash}", "user": user, "expires_at": expires_at})

    def redeem_pairing(self, code_hash: str, now: int) -> str | None:
        from botocore.exceptions import ClientError

        try:
            old = self._tables()[0].delete_item(
                Key={"id": f"pair#{code_hash}"}, ReturnValues="ALL_OLD",
                ConditionExpression="attribute_exists(id) AND expires_at > :now",
                ExpressionAttributeValues={":now": now},
            )
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return None
            raise
        return str(old["Attributes"]["user"])

    def save_token(self, token_hash: str, user: str, device: str, now: int) -> None:
        state = self._tables()[0]
        state.put_item(Item={"id": f"token#{token_hash}", "user": user, "device": device, "created": now})
        state.update_item(
            Key={"id": f"tokens#{user}"}, UpdateExpression="ADD hashes :h",
            ExpressionAttributeValues={":h": {token_hash}},
        )

    def user_for_token(self, token_hash: str) -> str | None:
        item = self._tables()[0].get_item(Key={"id": f"token#{token_hash}"}).get("Item")
        return str(item["user"]) if item else None

    def revoke(self, user: str) -> int:
        state = self._tables()[0]
        item = state.get_item(Key={"id": f"tokens#{user}"}, ConsistentRead=True).get("Item") or {}
        hashes = sorted(item.get("hashes", set()))
        for token_hash in hashes:
            state.delete_item(Key={"id": f"token#{token_hash}"})
        state.delete_item(Key={"id": f"tokens#{user}"})
        return len(hashes)

    def put_samples(self, user: str, samples: list[tuple[int, int]], now: int) -> None:
        with self._tables()[1].batch_writer(overwrite_by_pkeys=["user", "t"]) as batch:
            for t, bpm in samples:
                batch.put_item(Item={"user": user, "t": t, "bpm": bpm, "expires_at": now + SAMPLE_TTL_S})

    def recent_samples(self, user: str, since_ms: int) -> list[tuple[int, int]]:
        from boto3.dynamodb.conditions import Key

        answer = self._tables()[1].query(KeyConditionExpression=Key("user").eq(user) & Key("t").gte(since_ms))
        return [(int(i["t"]), int(i["bpm"])) for i in answer.get("Items", []) if "bpm" in i]

    def put_event(self, user: str, kind: str, at_ms: int, now: int) -> None:
        self._tables()[1].put_item(
            Item={"user": user, "t": at_ms, "kind": kind, "expires_at": now + SAMPLE_TTL_S}
        )

    def save_log(self, user: str, log: dict[str, Any]) -> None:
        # One item per workout, kept (no expiry); the log is stored as JSON text (DynamoDB has no floats).
        self._tables()[1].put_item(
            Item={"user": user, "t": log["started_at_ms"], "kind": "workout", "log": json.dumps(log)}
        )

    def logs(self, user: str, since_ms: int = 0) -> list[dict[str, Any]]:
        from boto3.dynamodb.conditions import Attr, Key

        answer = self._tables()[1].query(
            KeyConditionExpression=Key("user").eq(user) & Key("t").gte(since_ms),
            FilterExpression=Attr("kind").eq("workout"),
        )
        return [json.loads(i["log"]) for i in answer.get("Items", [])]
