"""The DynamoDB log index stays small however long a person's history grows (issue 27): each month's starts in
their own item, the months in one short list, and logs indexed by an earlier release still found."""

from __future__ import annotations

import json
from typing import Any

from skill.storage.dynamo import client
from skill.storage.logs import DynamoLogStore, month_of

DAY_MS = 86_400_000
FIRST = 1_700_000_000_000  # 2023-11-14


def log(start: int) -> dict[str, Any]:
    return {"workout": "six_minute", "status": "finished", "started_at_ms": start, "finished_at_ms": start + 360_000,
            "sets": []}


def item_bytes(table: str, key: str) -> int:
    item = client().get_item(TableName=table, Key={"id": {"S": key}}, ConsistentRead=True)["Item"]
    return len(json.dumps(item))


def test_a_thousand_workouts_keep_every_index_item_small_and_all_are_found(table: Any) -> None:
    store = DynamoLogStore(table.name)
    starts = [FIRST + day * DAY_MS for day in range(1010)]
    for start in starts:
        store.save_log("u1", log(start))
    assert [w["started_at_ms"] for w in store.logs("u1")] == starts
    months = sorted({month_of(s) for s in starts})
    assert item_bytes(table.name, "logs#u1") < 1000  # one short number per month (34 here)
    assert max(item_bytes(table.name, f"logs#u1#{m}") for m in months) < 1000  # at most 31 starts a page
    recent = starts[-40]
    assert [w["started_at_ms"] for w in store.logs("u1", since_ms=recent)] == starts[-40:]
    assert store.logs("someone else") == []


def test_an_index_written_by_an_earlier_release_is_still_read(table: Any) -> None:
    store = DynamoLogStore(table.name)
    old = FIRST
    client().put_item(TableName=table.name, Item={"id": {"S": f"log#u2#{old}"}, "log": {"S": json.dumps(log(old))}})
    client().put_item(TableName=table.name, Item={"id": {"S": "logs#u2"}, "starts": {"NS": [str(old)]}})
    store.save_log("u2", log(old + 3 * DAY_MS))
    assert [w["started_at_ms"] for w in store.logs("u2")] == [old, old + 3 * DAY_MS]
    assert store.log("u2", old)["started_at_ms"] == old
