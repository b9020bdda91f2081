"""The local stores on real SQLite files: versions, restarts, and files that are not what they should be."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from skill.storage import StaleWriteError, StorageError
from skill.storage.records import SQLiteRecordStore
from skill.storage.sqlite import Database
from skill.storage.stores import sqlite_stores


def test_records_are_kept_per_person_across_restarts(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "coach.sqlite3"
    stores = sqlite_stores(path)
    assert stores.records.load("alice") is None
    stores.records.save("alice", {"workout": {"round": 2, "set": 1}}, 1)
    stores.records.save("bob", {"workout": None}, 1)
    stores.close()
    reopened = sqlite_stores(path)
    assert reopened.records.load("alice") == {"workout": {"round": 2, "set": 1}, "version": 1}
    assert reopened.records.load("bob") == {"workout": None, "version": 1}
    reopened.close()


def test_a_write_over_a_record_someone_else_changed_is_refused() -> None:
    records = SQLiteRecordStore(Database())
    records.save("alice", {"n": 1}, 1)
    records.save("alice", {"n": 2}, 2)
    with pytest.raises(StaleWriteError):
        records.save("alice", {"n": "stale"}, 2)  # written over version 1, which is gone
    with pytest.raises(StaleWriteError):
        records.save("alice", {"n": "first again"}, 1)
    assert records.load("alice") == {"n": 2, "version": 2}


@pytest.mark.parametrize("garbage", [b"this is not a database at all" * 100, b"SQLite format 3\x00" + b"\xff" * 4000])
def test_a_file_that_is_not_a_database_is_refused_with_a_sentence(tmp_path: Path, garbage: bytes) -> None:
    path = tmp_path / "notes.sqlite3"
    path.write_bytes(garbage)
    with pytest.raises(StorageError, match="is not a Back Coach database"):
        sqlite_stores(path)
    assert path.read_bytes() == garbage  # nothing of the person's file is overwritten


def test_a_path_that_cannot_be_opened_is_refused_with_a_sentence(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(StorageError, match="cannot be opened"):
        sqlite_stores(tmp_path / "a-file" / "coach.sqlite3")


def _open_and_write(path: str, who: str) -> None:
    stores = sqlite_stores(path)
    stores.records.save(who, {"who": who}, 1)
    stores.close()


def test_two_processes_opening_a_brand_new_file_both_get_in(tmp_path: Path) -> None:
    """Both switch the new file to WAL at once; the loser used to crash with "database is locked"."""
    for attempt in range(5):
        path = str(tmp_path / f"new-{attempt}.sqlite3")
        ctx = multiprocessing.get_context("fork")
        workers = [ctx.Process(target=_open_and_write, args=(path, f"p{i}")) for i in range(4)]
        for w in workers:
            w.start()
        for w in workers:
            w.join(timeout=30)
        assert [w.exitcode for w in workers] == [0, 0, 0, 0]
        stores = sqlite_stores(path)
        assert {stores.records.load(f"p{i}")["who"] for i in range(4)} == {"p0", "p1", "p2", "p3"}
        stores.close()
