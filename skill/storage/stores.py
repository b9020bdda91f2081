"""The stores a process uses, built from where its data lives: DynamoDB tables when deployed, SQLite files
locally, memory in tests. Building a store makes no connection to DynamoDB."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from skill.storage.logs import DynamoLogStore, LogStore, SQLiteLogStore
from skill.storage.pairing import DynamoPairingStore, PairingStore, SQLitePairingStore
from skill.storage.records import DynamoRecordStore, RecordStore, SQLiteRecordStore
from skill.storage.samples import DynamoSampleStore, SampleStore, SQLiteSampleStore
from skill.storage.uploads import DynamoUploadQueue, SQLiteUploadQueue, UploadQueue

if TYPE_CHECKING:
    from skill.storage.sqlite import Database


@dataclass
class Stores:
    records: RecordStore
    logs: LogStore
    uploads: UploadQueue
    # Live heart rate is optional: deployed, it needs the samples table.
    pairing: PairingStore | None = None
    samples: SampleStore | None = None
    databases: list[Database] = field(default_factory=list)

    @property
    def heart_rate(self) -> bool:
        return self.pairing is not None and self.samples is not None

    def close(self) -> None:
        for db in self.databases:
            db.close()


def dynamo_stores(table: str, samples_table: str = "") -> Stores:
    """Records, logs, uploads and pairing in the state table; heart-rate samples in the samples table."""
    heart = bool(samples_table)
    return Stores(
        records=DynamoRecordStore(table), logs=DynamoLogStore(table, legacy_samples_table=samples_table),
        uploads=DynamoUploadQueue(table), pairing=DynamoPairingStore(table) if heart else None,
        samples=DynamoSampleStore(samples_table) if heart else None,
    )


def sqlite_stores(db_path: str | Path = ":memory:") -> Stores:
    """The person's record in `db_path`; logs, uploads, pairing and heart rate in a file beside it (the layout
    of earlier releases, so a local store carries over)."""
    from skill.storage.sqlite import MEMORY, Database  # here: a deployed function never imports sqlite3

    main = Database(db_path)
    activity = Database(MEMORY if str(db_path) == MEMORY else activity_db_path(Path(db_path)))
    return Stores(
        records=SQLiteRecordStore(main), logs=SQLiteLogStore(activity), uploads=SQLiteUploadQueue(activity),
        pairing=SQLitePairingStore(activity), samples=SQLiteSampleStore(activity), databases=[main, activity],
    )


def activity_db_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.stem + "-wearable" + db_path.suffix)
