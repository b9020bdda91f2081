"""Each person's record (place in the workout, history, settings): read once per session, written with a
version condition so two Echos on one account never overwrite each other.

The stored value is a plain dict (see skill.alexa.record for its typed form). `save(key, data, version)`
succeeds only if the stored record is at `version - 1` (absent, for version 1); otherwise StaleWriteError.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Protocol

from skill.storage import StaleWriteError
from skill.storage.dynamo import client, conditional_failed, from_item, plain, to_item

if TYPE_CHECKING:  # SQLite is the local store: a deployed function never imports sqlite3
    from skill.storage.sqlite import Database

VERSION = "version"


class RecordStore(Protocol):
    def load(self, key: str) -> dict[str, Any] | None:
        """The stored record of `key`, or None when there is none."""

    def save(self, key: str, data: dict[str, Any], version: int) -> None:
        """Writes `data` as version `version`; StaleWriteError when the stored one is not at `version - 1`."""


class SQLiteRecordStore:
    """One JSON document per person. The table keeps the shape the first release wrote (id, data, version)."""

    def __init__(self, db: Database) -> None:
        self.db = db
        db.schema("CREATE TABLE IF NOT EXISTS attributes (id TEXT PRIMARY KEY, data TEXT NOT NULL, version INTEGER)")

    def load(self, key: str) -> dict[str, Any] | None:
        rows = self.db.rows("SELECT data FROM attributes WHERE id = ?", (key,))
        return json.loads(rows[0][0]) if rows else None

    def save(self, key: str, data: dict[str, Any], version: int) -> None:
        text = json.dumps({**data, VERSION: version}, sort_keys=True, default=plain)
        if version <= 1:
            written = self.db.change(
                "INSERT INTO attributes (id, data, version) VALUES (?, ?, 1) ON CONFLICT(id) DO NOTHING", (key, text))
        else:
            written = self.db.change("UPDATE attributes SET data = ?, version = ? WHERE id = ? AND version = ?",
                                     (text, version, key, version - 1))
        if written != 1:
            raise StaleWriteError("the record changed since it was read")


class DynamoRecordStore:
    """Items `{id: <key>, attributes: {...}}` in the state table: the shape ask-sdk's DynamoDB adapter wrote,
    so records saved by earlier releases load unchanged."""

    def __init__(self, table: str) -> None:
        self.table = table

    def load(self, key: str) -> dict[str, Any] | None:
        item = client().get_item(TableName=self.table, Key={"id": {"S": key}}, ConsistentRead=True).get("Item")
        if not item:
            return None
        attributes = from_item(item).get("attributes")
        return attributes if isinstance(attributes, dict) else {}

    def save(self, key: str, data: dict[str, Any], version: int) -> None:
        item = to_item({"id": key, "attributes": {**data, VERSION: version}})
        if version <= 1:
            condition: dict[str, Any] = {"ConditionExpression": "attribute_not_exists(id)"}
        else:
            condition = {"ConditionExpression": "attributes.#v = :v", "ExpressionAttributeNames": {"#v": VERSION},
                         "ExpressionAttributeValues": {":v": {"N": str(version - 1)}}}
        try:
            client().put_item(TableName=self.table, Item=item, **condition)
        except Exception as e:
            if conditional_failed(e):
                raise StaleWriteError("the record changed since it was read") from None
            raise
