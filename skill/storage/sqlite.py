"""One SQLite file shared by the local stores: a connection safe to use from several threads."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from skill.storage import StorageError

MEMORY = ":memory:"
BUSY_TIMEOUT_S = 10.0


class Database:
    """A SQLite connection behind a lock. A file that is not a database, or cannot be opened, raises
    StorageError with a sentence saying so, never sqlite3's own error."""

    def __init__(self, path: str | Path = MEMORY) -> None:
        self.path = str(path)
        self._lock = threading.RLock()
        if self.path != MEMORY and Path(path).is_dir():
            raise StorageError(f"{self.path} is a folder, not a database file; give a file name (e.g. coach.sqlite3)")
        try:
            if self.path != MEMORY:
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None,
                                       timeout=BUSY_TIMEOUT_S)
            self._wal()
        except sqlite3.DatabaseError as e:
            raise StorageError(f"{self.path} is not a Back Coach database ({e}); choose another file") from None
        except (sqlite3.Error, OSError) as e:
            raise StorageError(f"{self.path} cannot be opened ({e})") from None

    def _wal(self) -> None:
        """WAL lets a reader and a writer work at once. Two processes opening a brand-new file may both try to
        switch it, and the loser is told "database is locked" without waiting: it tries again."""
        if self.path == MEMORY:
            self._db.execute("PRAGMA journal_mode=MEMORY")
            return
        deadline = time.monotonic() + BUSY_TIMEOUT_S
        while True:
            try:
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("SELECT count(*) FROM sqlite_master").fetchone()  # a corrupt file fails here
                return
            except sqlite3.OperationalError as e:
                if "locked" not in str(e) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def schema(self, script: str) -> None:
        with self._lock:
            try:
                self._db.executescript(script)
            except sqlite3.DatabaseError as e:
                raise StorageError(f"{self.path} is not a Back Coach database ({e}); choose another file") from None

    def rows(self, sql: str, args: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._db.execute(sql, tuple(args)).fetchall()

    def change(self, sql: str, args: Sequence[Any] = ()) -> int:
        """Runs one statement that writes; returns how many rows it changed."""
        with self._lock:
            return self._db.execute(sql, tuple(args)).rowcount

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._db.close()
