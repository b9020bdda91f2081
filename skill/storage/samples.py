"""Heart-rate samples from the companion: (epoch ms, bpm) per person, kept a month for exports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from skill.storage.dynamo import client, value

if TYPE_CHECKING:  # SQLite is the local store: a deployed function never imports sqlite3
    from skill.storage.sqlite import Database

SAMPLE_TTL_S = 30 * 24 * 3600
BATCH = 25  # DynamoDB's BatchWriteItem limit


class SampleStore(Protocol):
    def put_samples(self, user: str, samples: list[tuple[int, int]], now: int) -> None: ...

    def recent_samples(self, user: str, since_ms: int) -> list[tuple[int, int]]:
        """The person's samples at or after `since_ms`, oldest first."""


class SQLiteSampleStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        db.schema("CREATE TABLE IF NOT EXISTS samples (user TEXT, t INTEGER, bpm INTEGER, expires_at INTEGER, "
                  "PRIMARY KEY (user, t))")

    def put_samples(self, user: str, samples: list[tuple[int, int]], now: int) -> None:
        with self.db.transaction() as db:  # one transaction per batch, not one per sample
            db.executemany("INSERT OR REPLACE INTO samples VALUES (?, ?, ?, ?)",
                           [(user, t, bpm, now + SAMPLE_TTL_S) for t, bpm in samples])

    def recent_samples(self, user: str, since_ms: int) -> list[tuple[int, int]]:
        rows = self.db.rows("SELECT t, bpm FROM samples WHERE user = ? AND t >= ? ORDER BY t", (user, since_ms))
        return [(t, bpm) for t, bpm in rows]


class DynamoSampleStore:
    """The samples table: partition `user`, sort key `t` (ms), TTL `expires_at`. Only samples live here."""

    def __init__(self, table: str) -> None:
        self.table = table

    def put_samples(self, user: str, samples: list[tuple[int, int]], now: int) -> None:
        requests = [{"PutRequest": {"Item": {"user": {"S": user}, "t": value(t), "bpm": value(bpm),
                                             "expires_at": value(now + SAMPLE_TTL_S)}}}
                    for t, bpm in dict(samples).items()]
        for start in range(0, len(requests), BATCH):
            pending = {self.table: requests[start:start + BATCH]}
            for _ in range(5):  # what DynamoDB could not take at once is sent again
                pending = client().batch_write_item(RequestItems=pending).get("UnprocessedItems") or {}
                if not pending:
                    break
            else:
                raise RuntimeError("DynamoDB left heart-rate samples unprocessed")

    def recent_samples(self, user: str, since_ms: int) -> list[tuple[int, int]]:
        out: list[tuple[int, int]] = []
        query = {"TableName": self.table, "KeyConditionExpression": "#u = :u AND t >= :since",
                 "ExpressionAttributeNames": {"#u": "user"},
                 "ExpressionAttributeValues": {":u": {"S": user}, ":since": value(since_ms)}}
        while True:
            answer = client().query(**query)
            out += [(int(i["t"]["N"]), int(i["bpm"]["N"])) for i in answer.get("Items", []) if "bpm" in i]
            if "LastEvaluatedKey" not in answer:
                return out
            query["ExclusiveStartKey"] = answer["LastEvaluatedKey"]
