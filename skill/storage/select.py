"""Which store a process uses: DynamoDB when a table is configured, otherwise the embedded SQLite file."""

from __future__ import annotations

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

from skill.settings import Settings, wearable_db_path
from skill.wearable.store import WearableStore


def adapter_from_settings(settings: Settings) -> AbstractPersistenceAdapter:
    if settings.table:
        from skill.storage.dynamodb import dynamodb_adapter  # imported only when DynamoDB is really used

        return dynamodb_adapter(settings.table)
    from skill.storage.sqlite import SQLitePersistenceAdapter

    return SQLitePersistenceAdapter(settings.db_path)


def wearable_store_from_settings(settings: Settings) -> WearableStore | None:
    """Where pairing and heart rate live; None on AWS when no samples table is configured."""
    if settings.table:
        if not settings.samples_table:
            return None
        from skill.storage.dynamodb import default_resource
        from skill.wearable.store import DynamoWearableStore

        return DynamoWearableStore(settings.table, settings.samples_table, default_resource)
    from skill.wearable.store import SQLiteWearableStore

    return SQLiteWearableStore(wearable_db_path(settings.db_path))
