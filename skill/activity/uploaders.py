"""The clients that send a finished workout to Strava (a FIT file, via stravalib) and Fitbit (an activity log
entry). Each raises UploadError saying whether trying again can help. Tokens are never logged."""

from __future__ import annotations

import io
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from skill.activity.export import estimated_calories, to_fit
from skill.settings import FITBIT, STRAVA

FITBIT_API = "https://api.fitbit.com"
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
