"""Uploads of finished workouts to Strava (a FIT file, via stravalib) and Fitbit (an activity log entry), with a
persistent queue: a failed upload is kept and retried with backoff until it succeeds. Tokens are never logged."""

from __future__ import annotations

import io
import logging
import sqlite3
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from skill.wearable.export import estimated_calories, to_fit

log = logging.getLogger("backcoach.uploads")

STRAVA, FITBIT = "strava", "fitbit"
FITBIT_API = "https://api.fitbit.com"
MAX_BACKOFF_S = 6 * 3600


class UploadError(Exception):
    """A failed upload. `retry_after` is when to try again (None: retry with the queue's backoff);
    `permanent` means trying again cannot help (a rejected file, a duplicate)."""

    def __init__(self, message: str, retry_after: float | None = None, permanent: bool = False) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent


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
        from stravalib.exc import ActivityUploadFailed, Fault, RateLimitExceeded, TimeoutExceeded

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
            raise UploadError(f"Strava refused the file: {str(e)[:120]}", permanent=True) from None
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
        if answer.status_code == 429:
            raise UploadError("Fitbit rate limit", retry_after=float(answer.headers.get("Retry-After", 3600)))
        if answer.status_code in (400, 403):
            raise UploadError(f"Fitbit refused the activity ({answer.status_code})", permanent=True)
        raise UploadError(f"Fitbit answered {answer.status_code}")


@dataclass(frozen=True)
class Pending:
    service: str
    started_at_ms: int
    attempts: int
    next_try: float
    status: str
    result: str


class UploadQueue:
    """Uploads to do, done or given up, in SQLite: nothing is lost when a service is down."""

    def __init__(self, path: str | Path = ":memory:", clock: Callable[[], float] = time.time) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        self._clock = clock
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS uploads (service TEXT, started_at_ms INTEGER, attempts INTEGER, "
            "next_try REAL, status TEXT, result TEXT, PRIMARY KEY (service, started_at_ms))"
        )

    def add(self, service: str, started_at_ms: int) -> bool:
        """Queues one upload; False when it was already queued or done (it is offered once)."""
        with self._lock:
            return self._db.execute(
                "INSERT OR IGNORE INTO uploads VALUES (?, ?, 0, ?, 'pending', '')",
                (service, started_at_ms, self._clock()),
            ).rowcount == 1

    def all(self) -> list[Pending]:
        with self._lock:
            rows = self._db.execute("SELECT * FROM uploads ORDER BY started_at_ms").fetchall()
        return [Pending(*row) for row in rows]

    def run(self, uploaders: dict[str, Uploader], logs: Callable[[int], dict[str, Any] | None],
            samples: Callable[[dict[str, Any]], list[tuple[int, int]]]) -> list[Pending]:
        """Tries every upload that is due; returns what happened to each."""
        now = self._clock()
        for item in [p for p in self.all() if p.status == "pending" and p.next_try <= now]:
            uploader = uploaders.get(item.service)
            workout = logs(item.started_at_ms)
            if uploader is None or workout is None:
                continue
            try:
                result, status, next_try = uploader.upload(workout, samples(workout)), "done", now
            except UploadError as e:
                backoff = min(MAX_BACKOFF_S, 60 * 2 ** item.attempts)
                next_try = now + (e.retry_after if e.retry_after is not None else backoff)
                status, result = ("failed" if e.permanent else "pending"), str(e)
                log.warning("upload service=%s status=%s reason=%s", item.service, status, e)
            with self._lock:
                self._db.execute(
                    "UPDATE uploads SET attempts = attempts + 1, next_try = ?, status = ?, result = ? "
                    "WHERE service = ? AND started_at_ms = ?",
                    (next_try, status, result, item.service, item.started_at_ms),
                )
        return self.all()
