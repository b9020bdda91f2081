"""Which store a process uses: DynamoDB when a table is configured, otherwise the embedded SQLite file."""

from __future__ import annotations

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

from skill.settings import Settings


def adapter_from_settings(settings: Settings) -> AbstractPersistenceAdapter:
    if settings.table:
        from skill.storage.dynamodb import dynamodb_adapter  # imported only when DynamoDB is really used

        return dynamodb_adapter(settings.table)
    from skill.storage.sqlite import SQLitePersistenceAdapter

    return SQLitePersistenceAdapter(settings.db_path)
