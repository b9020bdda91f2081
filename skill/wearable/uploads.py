"""Uploads of finished workouts to Strava (a FIT file, via stravalib) and Fitbit (an activity log entry).

Uploads are jobs kept in the wearable store (SQLite locally, DynamoDB when deployed): `run_due` tries every job
that is due, and a failed one is kept and retried with backoff until it succeeds. Tokens are never logged.
"""

from __future__ import annotations

import io
import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Protocol

from skill.wearable.export import estimated_calories, to_fit
from skill.wearable.jobs import DONE, FAILED, FITBIT, STRAVA, WAITING_FOR_TOKEN, UploadJob

log = logging.getLogger("backcoach.uploads")

FITBIT_API = "https://api.fitbit.com"
FIRST_BACKOFF_S = 60
MAX_BACKOFF_S = 6 * 3600
LEASE_S = 300  # a job being uploaded is not picked up by another worker for this long
DUPLICATE = re.compile(r"duplicate of (?:activity )?(?:<a[^>]*>)?(\d+)")


class UploadError(Exception):
    """A failed upload. `retry_after` is when to try again (None: retry with the queue's backoff);
    `permanent` means trying again cannot help (a rejected file); `unauthorized` means the access token was
    refused, so the job waits for a fresh one (Alexa sends one with the person's next request)."""

    def __init__(
        self, message: str, retry_after: float | None = None, permanent: bool = False, unauthorized: bool = False,
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent
        self.unauthorized = unauthorized


class Uploader(Protocol):
    service: str

    def upload(self, workout_log: dict[str, Any], samples: list[tuple[int, int]]) -> str:
        """Uploads one workout; returns the service's id for it, or raises UploadError."""


class StravaUploader:
    service = STRAVA

    def __init__(self, access_token: str, session: Any = None, poll_seconds: float = 1.0, timeout: float = 60) -> None:
        self._token = access_token
        self._session = session
        self._poll = poll_seconds
        self._timeout = timeout

    def upload(self, workout_log: dict[str, Any], samples: list[tuple[int, int]]) -> str:
        from stravalib import Client
        from stravalib.exc import (
            AccessUnauthorized,
            ActivityUploadFailed,
            Fault,
            RateLimitExceeded,
            TimeoutExceeded,
        )

        client = Client(access_token=self._token, requests_session=self._session, rate_limiter=_no_sleeping)
        try:
            uploader = client.upload_activity(
                io.BytesIO(to_fit(workout_log, samples)), data_type="fit", name=workout_log["name"],
                description="Upper back strength workout coached by Back Coach",
                external_id=f"backcoach-{workout_log['started_at_ms']}",
            )
            if uploader.upload_id is None:  # an error page rather than an upload (e.g. 503): try again later
                raise UploadError(f"Strava did not take the upload: {str(uploader.status)[:80]}")
            deadline = time.monotonic() + self._timeout
            while uploader.is_processing:  # Strava processes uploads asynchronously: poll the upload
                if time.monotonic() > deadline:
                    raise TimeoutExceeded("upload still processing")
                time.sleep(self._poll)
                uploader.poll()
        except RateLimitExceeded as e:
            raise UploadError("Strava rate limit", retry_after=getattr(e, "timeout", None) or 900) from None
        except ActivityUploadFailed as e:
            duplicate = DUPLICATE.search(str(e))
            if duplicate:  # sent before (an answer lost on the way back): it is there, under that id
                return duplicate.group(1)
            if any(word in str(e) for word in ("access_token", "AccessToken")):  # Strava's 401 (or missing scope)
                raise UploadError("Strava refused the access token", unauthorized=True) from None
            raise UploadError(f"Strava refused the file: {str(e)[:120]}", permanent=True) from None
        except AccessUnauthorized:
            raise UploadError("Strava refused the access token", unauthorized=True) from None
        except (Fault, TimeoutExceeded, OSError) as e:
            raise UploadError(f"Strava unavailable: {type(e).__name__}") from None
        return str(uploader.activity_id)


def _no_sleeping(headers: Any, method: Any) -> None:
    """stravalib's default limiter sleeps until Strava's window resets (up to 15 minutes); the queue would
    rather stop and come back. Raises RateLimitExceeded when a window is used up."""
    from stravalib.exc import RateLimitExceeded

    limits, usage = headers.get("X-RateLimit-Limit", ""), headers.get("X-RateLimit-Usage", "")
    try:
        pairs = zip([int(x) for x in limits.split(",")], [int(x) for x in usage.split(",")], strict=False)
    except ValueError:
        return
    if any(used >= limit for limit, used in pairs):
        raise RateLimitExceeded("rate limit reached", timeout=900)


class FitbitUploader:
    service = FITBIT

    def __init__(self, access_token: str, session: Any = None, base_url: str = FITBIT_API) -> None:
        import requests

        self._token = access_token
        self._session = session or requests.Session()
        self._base = base_url.rstrip("/")

    def upload(self, workout_log: dict[str, Any], samples: list[tuple[int, int]]) -> str:
        start = datetime.fromtimestamp(workout_log["started_at_ms"] / 1000, tz=UTC)
        duration_ms = max(1000, workout_log["finished_at_ms"] - workout_log["started_at_ms"])
        form = {
            "activityName": "Weight training: " + workout_log["name"],
            "manualCalories": estimated_calories(duration_ms / 1000),
            "startTime": start.strftime("%H:%M"),
            "durationMillis": duration_ms,
            "date": start.strftime("%Y-%m-%d"),
        }
        try:
            answer = self._session.post(f"{self._base}/1/user/-/activities.json", data=form, timeout=15,
                                        headers={"Authorization": f"Bearer {self._token}"})
        except OSError as e:
            raise UploadError(f"Fitbit unavailable: {type(e).__name__}") from None
        if answer.status_code == 201:
            return str(answer.json()["activityLog"]["logId"])
        if answer.status_code == 401:
            raise UploadError("Fitbit refused the access token", unauthorized=True)
        if answer.status_code == 429:
            raise UploadError("Fitbit rate limit", retry_after=float(answer.headers.get("Retry-After", 3600)))
        if answer.status_code in (400, 403):
            raise UploadError(f"Fitbit refused the activity ({answer.status_code})", permanent=True)
        raise UploadError(f"Fitbit answered {answer.status_code}")


class UploadStore(Protocol):
    """Where upload jobs live (see skill.wearable.store)."""

    def due_uploads(self, now: int, limit: int) -> list[UploadJob]: ...

    def claim_upload(self, job: UploadJob, until: int) -> bool:
        """Takes `job` for one worker until `until`; False when another worker changed it first."""

    def save_upload(self, job: UploadJob) -> None: ...

    def logs(self, user: str, since_ms: int = 0) -> list[dict[str, Any]]: ...

    def recent_samples(self, user: str, since_ms: int) -> list[tuple[int, int]]: ...


def run_due(
    store: UploadStore, uploader_for: Callable[[str, str], Uploader | None], clock: Callable[[], float] = time.time,
    limit: int = 10,
) -> list[UploadJob]:
    """Tries every job that is due (at most `limit`); returns each one as it now stands."""
    now = int(clock())
    finished = []
    for job in store.due_uploads(now, limit):
        try:
            if not store.claim_upload(job, now + LEASE_S):
                continue  # another worker has it
            finished.append(_attempt(store, job, uploader_for, now))
        except Exception as e:  # noqa: BLE001 - a storage fault: the lease runs out and the job is tried again
            log.error("upload job not tried service=%s error=%s", job.service, type(e).__name__)
    return finished


def _attempt(
    store: UploadStore, job: UploadJob, uploader_for: Callable[[str, str], Uploader | None], now: int,
) -> UploadJob:
    workout = next((w for w in store.logs(job.user, job.started_at_ms) if w["started_at_ms"] == job.started_at_ms),
                   None)
    uploader = uploader_for(job.service, job.token) if job.token else None
    attempts = job.attempts + 1
    if workout is None:
        outcome = replace(job, status=FAILED, attempts=attempts, result="workout log not found", token="")
    elif uploader is None:
        outcome = replace(job, attempts=attempts, next_try=now + MAX_BACKOFF_S,
                          result=f"{WAITING_FOR_TOKEN} (no access token)")
    else:
        samples = [s for s in store.recent_samples(job.user, job.started_at_ms) if s[0] <= workout["finished_at_ms"]]
        try:
            result = uploader.upload(workout, samples)
            outcome = replace(job, status=DONE, attempts=attempts, next_try=now, result=result, token="")
        except UploadError as e:
            outcome = _failed(job, e, now)
        except Exception as e:  # noqa: BLE001 - an answer no client expected: back off like any failure
            outcome = _failed(job, UploadError(f"unexpected {type(e).__name__}"), now)
    store.save_upload(outcome)
    level = logging.INFO if outcome.status == DONE else logging.WARNING
    log.log(level, "upload service=%s status=%s attempts=%d reason=%s", job.service, outcome.status,
            outcome.attempts, "" if outcome.status == DONE else outcome.result)
    return outcome


def _failed(job: UploadJob, error: UploadError, now: int) -> UploadJob:
    attempts = job.attempts + 1
    if error.permanent:
        return replace(job, status=FAILED, attempts=attempts, result=str(error), token="")
    if error.unauthorized:  # wait for a fresh token (see refresh_upload_token), or try again much later
        return replace(job, attempts=attempts, next_try=now + MAX_BACKOFF_S, result=f"{WAITING_FOR_TOKEN} ({error})")
    if error.retry_after is not None:
        wait = error.retry_after
    else:
        wait = min(MAX_BACKOFF_S, FIRST_BACKOFF_S * 2 ** job.attempts)
    return replace(job, attempts=attempts, next_try=now + int(wait), result=str(error))


def uploaders(
    strava_session: Any = None, fitbit_base: str = FITBIT_API, poll_seconds: float = 1.0, timeout: float = 30,
) -> Callable[[str, str], Uploader | None]:
    """The real clients, one per job and token (the sessions let tests point them at a local server)."""

    def uploader_for(service: str, token: str) -> Uploader | None:
        if service == STRAVA:
            return StravaUploader(token, session=strava_session, poll_seconds=poll_seconds, timeout=timeout)
        if service == FITBIT:
            return FitbitUploader(token, base_url=fitbit_base)
        return None

    return uploader_for


def summary(jobs: Iterable[UploadJob]) -> dict[str, int]:
    """How many jobs ended in each status (what a worker logs and returns; never ids or tokens)."""
    counts: dict[str, int] = {}
    for job in jobs:
        counts[job.status] = counts.get(job.status, 0) + 1
    return counts
