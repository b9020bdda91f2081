"""Workouts that lie paused for days, and clocks that disagree, still export and upload (issue 20, item 1)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from garmin_fit_sdk import Decoder, Stream

from skill.activity.export import MAX_CALORIES, to_fit, to_tcx
from skill.activity.worker import UploadWorker
from skill.settings import STRAVA
from skill.storage.stores import sqlite_stores
from skill.storage.uploads import FAILED, UploadJob


def decoded(data: bytes) -> dict:
    assert Decoder(Stream.from_byte_array(bytearray(data))).check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    return messages


def test_a_workout_resumed_eleven_days_later_exports_as_fit(tmp_path: Path) -> None:
    db, out = tmp_path / "x.sqlite3", tmp_path / "x.fit"
    said = "start my back workout\nstop\n@1100000 ask back coach to resume\nresume\nnext\nnext\n"
    subprocess.run([sys.executable, "-m", "skill.cli.main", "chat", "--db", str(db)], input=said, text=True,
                   check=True, capture_output=True, timeout=120)
    run = subprocess.run([sys.executable, "-m", "skill.cli.main", "export", "--format", "fit", "--db", str(db),
                          "--out", str(out)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-500:]
    [session] = decoded(out.read_bytes())["session_mesgs"]
    assert 0 < session["total_calories"] < 200  # from the sets done, not from eleven days
    assert session["total_timer_time"] < 3600 < session["total_elapsed_time"]


LOG = {"workout": "six_minute", "name": "6 Minute Upper Back Workout", "equipment": [], "status": "finished",
       "started_at_ms": 1_800_000_000_000, "finished_at_ms": 1_800_000_000_000 + 40 * 86_400_000,
       "sets": [
           {"kind": "move", "exercise": "band_pull_apart", "name": "Band Pull Apart", "round": 1, "set": 1,
            "part": "overhand grip", "part_kind": "grip", "part_index": 0, "reps": 10,
            "start_ms": 1_800_000_000_000, "duration_ms": -3000},  # written by a release that allowed it
           {"kind": "move", "exercise": "band_pull_apart", "name": "Band Pull Apart", "round": 1, "set": 1,
            "part": "underhand grip", "part_kind": "grip", "part_index": 1, "reps": 10,
            "start_ms": 1_800_000_000_000 + 40 * 86_400_000 - 30_000, "duration_ms": 30_000},
       ]}


def test_negative_lengths_and_long_gaps_are_clamped_to_what_the_formats_hold() -> None:
    messages = decoded(to_fit(LOG))
    assert [s["duration"] for s in messages["set_mesgs"]] == [0, 30]
    assert messages["session_mesgs"][0]["total_calories"] <= MAX_CALORIES
    assert b"<TotalTimeSeconds>0.0</TotalTimeSeconds>" in to_tcx(LOG)


class Refusing:
    service = STRAVA

    def upload(self, workout_log: dict, samples: list) -> str:
        from skill.activity.uploaders import encoded

        encoded({**workout_log, "sets": [{**workout_log["sets"][0], "exercise": "no_such_move"}]}, samples)
        raise AssertionError("the encoder should have refused")


def test_a_log_that_cannot_be_encoded_fails_at_once_with_a_reason() -> None:
    stores = sqlite_stores()
    stores.logs.save_log("u", LOG)
    stores.uploads.add_upload(UploadJob("u", STRAVA, LOG["started_at_ms"], next_try=0, token="t"))
    [job] = UploadWorker(stores.uploads, stores.logs, None, lambda s, t: Refusing(), clock=lambda: 10.0).run_due()
    assert job.status == FAILED and "could not be written as a FIT file" in job.result
