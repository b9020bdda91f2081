"""Where pairing codes, device tokens and heart-rate samples live: SQLite locally, DynamoDB when deployed.

People are identified here by a one-way hash of their Alexa user id (`user`), never by the id itself; codes
and tokens are stored hashed.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from skill.wearable.jobs import PENDING, WAITING_FOR_TOKEN, UploadJob

SAMPLE_TTL_S = 30 * 24 * 3600  # heart rate is kept a month, for exports of recent workouts
PAIRING_TTL_S = 10 * 60
UPLOAD_KEPT_S = 30 * 24 * 3600  # a finished upload job is kept a month, so a workout is never sent twice
DUE_INDEX = "due"  # the state table's sparse index of pending upload jobs (queue = "pending", next_try)


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

    def add_upload(self, job: UploadJob) -> bool:
        """Queues `job`; False when that workout is already queued or sent to that service."""

    def uploads(self, user: str) -> list[UploadJob]: ...

    def due_uploads(self, now: int, limit: int) -> list[UploadJob]: ...

    def claim_upload(self, job: UploadJob, until: int) -> bool: ...

    def save_upload(self, job: UploadJob) -> None: ...

    def refresh_upload_token(self, user: str, service: str, token: str, due: int) -> int:
        """Gives the person's pending jobs for `service` a fresh token; those that were waiting for one become due
        by `due` (epoch s; 0: at once), the others keep their backoff. Returns how many jobs are still pending."""


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
            CREATE TABLE IF NOT EXISTS uploads (user TEXT, service TEXT, started_at_ms INTEGER, status TEXT,
                                                attempts INTEGER, next_try INTEGER, result TEXT, token TEXT,
                                                PRIMARY KEY (user, service, started_at_ms));
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

    def add_upload(self, job: UploadJob) -> bool:
        return self._run(
            "INSERT OR IGNORE INTO uploads VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (job.user, job.service, job.started_at_ms, job.status, job.attempts, job.next_try, job.result, job.token),
        ).rowcount == 1

    def uploads(self, user: str) -> list[UploadJob]:
        rows = self._run("SELECT * FROM uploads WHERE user = ? ORDER BY started_at_ms", (user,)).fetchall()
        return [UploadJob(*row) for row in rows]

    def due_uploads(self, now: int, limit: int) -> list[UploadJob]:
        rows = self._run("SELECT * FROM uploads WHERE status = ? AND next_try <= ? ORDER BY next_try LIMIT ?",
                         (PENDING, now, limit)).fetchall()
        return [UploadJob(*row) for row in rows]

    def claim_upload(self, job: UploadJob, until: int) -> bool:
        return self._run(
            "UPDATE uploads SET next_try = ? WHERE user = ? AND service = ? AND started_at_ms = ? AND status = ? "
            "AND next_try = ?", (until, job.user, job.service, job.started_at_ms, PENDING, job.next_try),
        ).rowcount == 1

    def save_upload(self, job: UploadJob) -> None:
        self._run(
            "UPDATE uploads SET status = ?, attempts = ?, next_try = ?, result = ?, token = ? "
            "WHERE user = ? AND service = ? AND started_at_ms = ?",
            (job.status, job.attempts, job.next_try, job.result, job.token, job.user, job.service, job.started_at_ms),
        )

    def refresh_upload_token(self, user: str, service: str, token: str, due: int) -> int:
        with self._lock:
            self._db.execute(
                "UPDATE uploads SET token = ?, next_try = CASE WHEN result LIKE ? THEN MIN(next_try, ?) ELSE next_try "
                "END WHERE user = ? AND service = ? AND status = ? AND token != ?",
                (token, WAITING_FOR_TOKEN + "%", due, user, service, PENDING, token),
            )
            return int(self._db.execute("SELECT COUNT(*) FROM uploads WHERE user = ? AND status = ?",
                                        (user, PENDING)).fetchone()[0])

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
        # One item per workout, kept (no expiry), in its own partition: a heart-rate sample taken in the very
        # millisecond a workout started must not overwrite its log. Stored as JSON text (DynamoDB has no floats).
        self._tables()[1].put_item(
            Item={"user": _logs_of(user), "t": log["started_at_ms"], "kind": "workout", "log": json.dumps(log)}
        )

    def logs(self, user: str, since_ms: int = 0) -> list[dict[str, Any]]:
        from boto3.dynamodb.conditions import Attr, Key

        answer = self._tables()[1].query(
            KeyConditionExpression=Key("user").eq(_logs_of(user)) & Key("t").gte(since_ms),
            FilterExpression=Attr("kind").eq("workout"),
        )
        return [json.loads(i["log"]) for i in answer.get("Items", [])]

    # -- upload jobs: items `upload#<user>#<service>#<start>` in the state table, and `uploads#<user>` listing
    # a person's jobs. Pending jobs carry `queue` = "pending", which puts them in the sparse DUE_INDEX.

    def add_upload(self, job: UploadJob) -> bool:
        from botocore.exceptions import ClientError

        state = self._tables()[0]
        # The person's list first: a job is never out of reach of a token refresh (a listed job that was never
        # written is skipped).
        state.update_item(Key={"id": f"uploads#{job.user}"}, UpdateExpression="ADD jobs :j",
                          ExpressionAttributeValues={":j": {_job_id(job)}})
        try:
            state.put_item(Item=_job_item(job), ConditionExpression="attribute_not_exists(id)")
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def uploads(self, user: str) -> list[UploadJob]:
        state = self._tables()[0]
        index = state.get_item(Key={"id": f"uploads#{user}"}, ConsistentRead=True).get("Item") or {}
        jobs = []
        for job_id in sorted(index.get("jobs", set())):
            item = state.get_item(Key={"id": job_id}, ConsistentRead=True).get("Item")
            if item:
                jobs.append(_job(item))
        return sorted(jobs, key=lambda j: j.started_at_ms)

    def due_uploads(self, now: int, limit: int) -> list[UploadJob]:
        from boto3.dynamodb.conditions import Key

        answer = self._tables()[0].query(
            IndexName=DUE_INDEX, KeyConditionExpression=Key("queue").eq(PENDING) & Key("next_try").lte(now),
            Limit=limit,
        )
        return [_job(item) for item in answer.get("Items", [])]

    def claim_upload(self, job: UploadJob, until: int) -> bool:
        from botocore.exceptions import ClientError

        try:
            self._tables()[0].update_item(
                Key={"id": _job_id(job)}, UpdateExpression="SET next_try = :until",
                ConditionExpression="#s = :pending AND next_try = :seen",
                ExpressionAttributeNames={"#s": "status"},
                ExpressionAttributeValues={":until": until, ":pending": PENDING, ":seen": job.next_try},
            )
        except ClientError as e:
            if e.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def save_upload(self, job: UploadJob) -> None:
        self._tables()[0].put_item(Item=_job_item(job))

    def refresh_upload_token(self, user: str, service: str, token: str, due: int) -> int:
        state = self._tables()[0]
        pending = 0
        for job in self.uploads(user):
            if job.status != PENDING:
                continue
            pending += 1
            if job.service == service and job.token != token:
                waiting = job.result.startswith(WAITING_FOR_TOKEN)  # others keep their backoff (or lease)
                next_try = min(job.next_try, due) if waiting else job.next_try
                self.save_upload(replace(job, token=token, next_try=next_try))
        if not pending:
            state.delete_item(Key={"id": f"uploads#{user}"})  # every job is done: nothing left to refresh
        return pending


def _logs_of(user: str) -> str:
    """The samples table's partition for a person's workout logs."""
    return f"{user}#logs"


def _job_id(job: UploadJob) -> str:
    return f"upload#{job.user}#{job.service}#{job.started_at_ms}"


def _job_item(job: UploadJob) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": _job_id(job), "user": job.user, "service": job.service, "started_at_ms": job.started_at_ms,
        "status": job.status, "attempts": job.attempts, "next_try": job.next_try, "result": job.result[:300],
    }
    if job.status == PENDING:
        item["queue"] = PENDING
        if job.token:
            item["token"] = job.token
    else:
        item["expires_at"] = job.next_try + UPLOAD_KEPT_S
    return item


def _job(item: dict[str, Any]) -> UploadJob:
    return UploadJob(
        user=str(item["user"]), service=str(item["service"]), started_at_ms=int(item["started_at_ms"]),
        status=str(item["status"]), attempts=int(item["attempts"]), next_try=int(item["next_try"]),
        result=str(item.get("result", "")), token=str(item.get("token", "")),
    )
