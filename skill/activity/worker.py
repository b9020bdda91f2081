"""The upload worker: sends the workouts people agreed to upload and retries those that failed, with backoff.

On Lambda it runs when a job is queued (the state table's stream, filtered to new `upload#` items) and on a
schedule (for retries); self-hosted, `backcoach serve` runs it in a thread. Either way it tries whatever is
due, so a missed or repeated trigger loses nothing.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from skill.activity.uploaders import Uploader, UploadError
from skill.storage.logs import LogStore
from skill.storage.samples import SampleStore
from skill.storage.uploads import DONE, FAILED, UploadJob, UploadQueue

log = logging.getLogger("backcoach.uploads")

FIRST_BACKOFF_S = 60
MAX_BACKOFF_S = 6 * 3600
LEASE_S = 300  # a job being uploaded is not picked up by another worker for this long
JOBS_PER_RUN = 5  # each may wait up to 30 s for Strava to process its file: well inside the 180 s timeout
UploaderFor = Callable[[str, str], Uploader | None]


@dataclass
class UploadWorker:
    queue: UploadQueue
    logs: LogStore
    samples: SampleStore | None  # heart rate goes with the workout when there is any
    uploader_for: UploaderFor
    clock: Callable[[], float] = time.time

    def run_due(self, limit: int = JOBS_PER_RUN) -> list[UploadJob]:
        """Tries every job that is due (at most `limit`); returns each one as it now stands."""
        now = int(self.clock())
        finished = []
        for job in self.queue.due_uploads(now, limit):
            try:
                if not self.queue.claim_upload(job, now + LEASE_S):
                    continue  # another worker has it
                finished.append(self._attempt(job, now))
            except Exception as e:  # noqa: BLE001 - a storage fault: the lease runs out and the job is tried again
                log.error("upload job not tried service=%s error=%s", job.service, type(e).__name__)
        return finished

    def __call__(self, event: Any = None, context: Any = None) -> dict[str, int]:
        """The Lambda handler: one run, logged with what woke it."""
        counts = summary(self.run_due())
        log_run(_trigger(event), counts)
        return counts

    def _attempt(self, job: UploadJob, now: int) -> UploadJob:
        workout = self.logs.log(job.user, job.started_at_ms)
        uploader = self.uploader_for(job.service, job.token) if job.token else None
        attempts = job.attempts + 1
        if workout is None:
            outcome = replace(job, status=FAILED, attempts=attempts, result="workout log not found", token="")
        elif uploader is None:
            outcome = replace(job, attempts=attempts, next_try=now + MAX_BACKOFF_S, result="no access token",
                              waiting_for_token=True)
        else:
            samples = self._samples(job, workout)
            try:
                result = uploader.upload(workout, samples)
                outcome = replace(job, status=DONE, attempts=attempts, next_try=now, result=result, token="",
                                  waiting_for_token=False)
            except UploadError as e:
                outcome = _failed(job, e, now)
            except Exception as e:  # noqa: BLE001 - an answer no client expected: back off like any failure
                outcome = _failed(job, UploadError(f"unexpected {type(e).__name__}"), now)
        self.queue.save_upload(outcome)
        level = logging.INFO if outcome.status == DONE else logging.WARNING
        log.log(level, "upload service=%s status=%s attempts=%d reason=%s", job.service, outcome.status,
                outcome.attempts, "" if outcome.status == DONE else outcome.result)
        return outcome

    def _samples(self, job: UploadJob, workout: dict[str, Any]) -> list[tuple[int, int]]:
        if self.samples is None:
            return []
        recent = self.samples.recent_samples(job.user, job.started_at_ms)
        return [s for s in recent if s[0] <= workout["finished_at_ms"]]

    def loop(self, stop: threading.Event, every_seconds: float = 60) -> threading.Thread:
        """The worker for `backcoach serve`: a daemon thread that runs the due uploads every minute."""

        def loop() -> None:
            while not stop.is_set():
                try:
                    counts = summary(self.run_due())
                    if counts:
                        log_run("loop", counts)
                except Exception as e:  # noqa: BLE001 - a storage fault: try again at the next tick
                    log.error("upload run failed error=%s", type(e).__name__)
                stop.wait(every_seconds)

        thread = threading.Thread(target=loop, name="backcoach-uploads", daemon=True)
        thread.start()
        return thread


def _failed(job: UploadJob, error: UploadError, now: int) -> UploadJob:
    attempts = job.attempts + 1
    if error.relink:  # a token from the legacy Fitbit sign-in, or a Google account that refused the write
        return replace(job, status=FAILED, attempts=attempts, result=str(error), token="", needs_relink=True,
                       waiting_for_token=False)
    if error.permanent:
        return replace(job, status=FAILED, attempts=attempts, result=str(error), token="", waiting_for_token=False)
    if error.unauthorized:  # wait for a fresh token (see refresh_upload_token), or try again much later
        return replace(job, attempts=attempts, next_try=now + MAX_BACKOFF_S, result=str(error),
                       waiting_for_token=True)
    backoff = min(MAX_BACKOFF_S, FIRST_BACKOFF_S * 2 ** job.attempts)
    wait = error.retry_after if error.retry_after is not None else backoff
    return replace(job, attempts=attempts, next_try=now + int(wait), result=str(error), waiting_for_token=False)


def summary(jobs: Iterable[UploadJob]) -> dict[str, int]:
    """How many jobs ended in each status (what a worker logs and returns; never ids or tokens)."""
    counts: dict[str, int] = {}
    for job in jobs:
        counts[job.status] = counts.get(job.status, 0) + 1
    return counts


def log_run(trigger: str, counts: dict[str, int]) -> None:
    log.info("upload run trigger=%s %s", trigger, " ".join(f"{k}={v}" for k, v in sorted(counts.items())))


def _trigger(event: Any) -> str:
    """What woke the worker, for the log: a queued job (stream), the schedule, or a direct call."""
    if isinstance(event, dict) and event.get("Records"):
        return "stream"
    if isinstance(event, dict) and event.get("source") == "aws.events":
        return "schedule"
    return "direct"
