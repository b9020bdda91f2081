"""Workout logs: every set and rest of a finished or abandoned workout, for history, exports and uploads.

A log is a JSON document keyed by the person (hashed id) and the workout's start (epoch ms).
"""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any, Protocol

from skill.storage.dynamo import client, from_item, value

if TYPE_CHECKING:  # SQLite is the local store: a deployed function never imports sqlite3
    from skill.storage.sqlite import Database

BATCH_GET = 100  # DynamoDB's BatchGetItem limit


class LogStore(Protocol):
    def save_log(self, user: str, log: dict[str, Any]) -> None:
        """Keeps a workout's log, keyed by its `started_at_ms` (a later save of the same workout replaces it)."""

    def logs(self, user: str, since_ms: int = 0) -> list[dict[str, Any]]:
        """The person's logs of workouts that started at or after `since_ms`, oldest first."""

    def log(self, user: str, started_at_ms: int) -> dict[str, Any] | None: ...


class SQLiteLogStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        db.schema("CREATE TABLE IF NOT EXISTS logs (user TEXT, t INTEGER, log TEXT, PRIMARY KEY (user, t))")

    def save_log(self, user: str, log: dict[str, Any]) -> None:
        self.db.change("INSERT OR REPLACE INTO logs VALUES (?, ?, ?)", (user, log["started_at_ms"], json.dumps(log)))

    def logs(self, user: str, since_ms: int = 0) -> list[dict[str, Any]]:
        rows = self.db.rows("SELECT log FROM logs WHERE user = ? AND t >= ? ORDER BY t", (user, since_ms))
        return [json.loads(r[0]) for r in rows]

    def log(self, user: str, started_at_ms: int) -> dict[str, Any] | None:
        rows = self.db.rows("SELECT log FROM logs WHERE user = ? AND t = ?", (user, started_at_ms))
        return json.loads(rows[0][0]) if rows else None


def month_of(start_ms: int) -> int:
    """The UTC month a log starts in, as yyyymm: the page of the index that lists it."""
    day = time.gmtime(start_ms // 1000)
    return day.tm_year * 100 + day.tm_mon


class DynamoLogStore:
    """Items `log#<user>#<start>` of the state table (the log as JSON text: DynamoDB has no floats), listed by
    month in `logs#<user>#<yyyymm>` (the starts), with `logs#<user>` listing the months: so a person's logs need
    no scan, uploads need no samples table, and no item grows with the length of a person's history (a month's
    page holds that month's workouts; the list of months, one number a month). Releases before this one listed
    every start in `logs#<user>` itself (`starts`); those are still read, never written.

    `legacy_samples_table`: releases before this one kept logs in the samples table's `<user>#logs`
    partition; they are still read from there, never written."""

    def __init__(self, table: str, legacy_samples_table: str = "") -> None:
        self.table = table
        self.legacy = legacy_samples_table

    def save_log(self, user: str, log: dict[str, Any]) -> None:
        start = int(log["started_at_ms"])
        client().put_item(TableName=self.table, Item={
            "id": {"S": f"log#{user}#{start}"}, "log": {"S": json.dumps(log)}})
        month = month_of(start)
        client().update_item(TableName=self.table, Key={"id": {"S": f"logs#{user}#{month}"}},
                             UpdateExpression="ADD starts :s", ExpressionAttributeValues={":s": {"NS": [str(start)]}})
        client().update_item(TableName=self.table, Key={"id": {"S": f"logs#{user}"}},
                             UpdateExpression="ADD months :m", ExpressionAttributeValues={":m": {"NS": [str(month)]}})

    def log(self, user: str, started_at_ms: int) -> dict[str, Any] | None:
        item = client().get_item(TableName=self.table, Key={"id": {"S": f"log#{user}#{started_at_ms}"}},
                                 ConsistentRead=True).get("Item")
        if item:
            return json.loads(item["log"]["S"])
        return next((w for w in self._legacy(user, started_at_ms) if w["started_at_ms"] == started_at_ms), None)

    def logs(self, user: str, since_ms: int = 0) -> list[dict[str, Any]]:
        index = client().get_item(TableName=self.table, Key={"id": {"S": f"logs#{user}"}},
                                  ConsistentRead=True).get("Item")
        listed = from_item(index) if index else {}
        first_month = month_of(since_ms) if since_ms > 0 else 0
        months = [m for m in listed.get("months", []) if m >= first_month]
        starts = set(listed.get("starts", []))  # the index before it was paged by month
        for page in self._batch_get([f"logs#{user}#{m}" for m in months]):
            starts |= set(from_item(page).get("starts", []))
        found: dict[int, dict[str, Any]] = {w["started_at_ms"]: w for w in self._legacy(user, since_ms)}
        for item in self._batch_get([f"log#{user}#{s}" for s in sorted(starts) if s >= since_ms]):
            log = json.loads(item["log"]["S"])
            found[log["started_at_ms"]] = log
        return [found[t] for t in sorted(found)]

    def _batch_get(self, ids: list[str]) -> list[dict[str, Any]]:
        """The items of `ids` that exist, in batches of DynamoDB's limit, unprocessed keys retried."""
        items: list[dict[str, Any]] = []
        for first in range(0, len(ids), BATCH_GET):
            keys = [{"id": {"S": i}} for i in ids[first:first + BATCH_GET]]
            request: dict[str, Any] = {self.table: {"Keys": keys, "ConsistentRead": True}}
            for _ in range(5):
                answer = client().batch_get_item(RequestItems=request)
                items += answer.get("Responses", {}).get(self.table, [])
                request = answer.get("UnprocessedKeys") or {}
                if not request:
                    break
        return items

    def _legacy(self, user: str, since_ms: int) -> list[dict[str, Any]]:
        if not self.legacy:
            return []
        answer = client().query(
            TableName=self.legacy, KeyConditionExpression="#u = :u AND t >= :since",
            ExpressionAttributeNames={"#u": "user"},
            ExpressionAttributeValues={":u": {"S": f"{user}#logs"}, ":since": value(since_ms)})
        return [json.loads(i["log"]["S"]) for i in answer.get("Items", []) if "log" in i]
