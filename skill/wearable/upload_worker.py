"""The upload worker on Lambda: sends the workouts people agreed to upload, and retries those that failed.

It runs when a job is queued (a DynamoDB stream of the state table, filtered to new `upload#` items) and on a
schedule (for retries); either way it tries whatever is due, so a missed or repeated trigger loses nothing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from skill.settings import ENV_SAMPLES_TABLE, ENV_TABLE, load_settings
from skill.wearable.uploads import Uploader, UploadStore, run_due, summary, uploaders

log = logging.getLogger("backcoach.uploads")
JOBS_PER_RUN = 5  # each may wait up to 30 s for Strava to process its file: well inside the 180 s timeout


class LazyUploadWorker:
    def __init__(self, uploader_for: Callable[[str, str], Uploader | None] | None = None) -> None:
        self.store: UploadStore | None = None
        self.uploader_for = uploader_for

    def build(self) -> UploadStore:
        if self.store is None:
            settings = load_settings()
            if not settings.table or not settings.samples_table:
                raise RuntimeError(f"{ENV_TABLE} and {ENV_SAMPLES_TABLE} must be set for the upload worker")
            logging.getLogger().setLevel(settings.log_level)
            from skill.storage.dynamodb import default_resource
            from skill.wearable.store import DynamoWearableStore

            self.store = DynamoWearableStore(settings.table, settings.samples_table, default_resource)
        return self.store

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, int]:
        jobs = run_due(self.build(), self.uploader_for or uploaders(), limit=JOBS_PER_RUN)
        counts = summary(jobs)
        _log_run(_trigger(event), counts)
        return counts


def _log_run(trigger: str, counts: dict[str, int]) -> None:
    log.info("upload run trigger=%s %s", trigger, " ".join(f"{k}={v}" for k, v in sorted(counts.items())))


def _trigger(event: dict[str, Any]) -> str:
    """What woke the worker, for the log: a queued job (stream), the schedule, or a direct call."""
    if isinstance(event, dict) and event.get("Records"):
        return "stream"
    if isinstance(event, dict) and event.get("source") == "aws.events":
        return "schedule"
    return "direct"


def upload_loop(
    store: UploadStore, stop: threading.Event, every_seconds: float = 60,
    uploader_for: Callable[[str, str], Uploader | None] | None = None,
) -> threading.Thread:
    """The worker for `backcoach serve` (self-hosted): a daemon thread that runs the due uploads every minute."""

    def loop() -> None:
        while not stop.is_set():
            try:
                counts = summary(run_due(store, uploader_for or uploaders(), limit=JOBS_PER_RUN))
                if counts:
                    _log_run("loop", counts)
            except Exception as e:  # noqa: BLE001 - a storage fault: try again at the next tick
                log.error("upload run failed error=%s", type(e).__name__)
            stop.wait(every_seconds)

    thread = threading.Thread(target=loop, name="backcoach-uploads", daemon=True)
    thread.start()
    return thread

