"""The clients that send a finished workout to Strava (a FIT file, through Strava's upload endpoints) and to
Fitbit (an exercise session, through Google's Health API, which replaces the legacy Fitbit Web API in 2026).

Both are small clients on `requests` (pure Python, already in the Lambda package). Each raises UploadError
saying whether trying again can help; neither ever sleeps out a rate limit (the queue comes back later).
Tokens are never logged."""

from __future__ import annotations

import base64
import binascii
import json
import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, Protocol

from skill.activity.export import active_seconds, estimated_calories, to_fit
from skill.engine.calendar import DEFAULT_ZONE, utc_offset_seconds
from skill.settings import FITBIT, STRAVA

STRAVA_API = "https://www.strava.com/api/v3"
GOOGLE_HEALTH_API = "https://health.googleapis.com"
EXERCISE_POINTS = "/v4/users/me/dataTypes/exercise/dataPoints"
DUPLICATE = re.compile(r"duplicate of\D*?(\d+)")  # "… duplicate of activity 123" (or of a link to it)
STRAVA_WINDOW_S = 15 * 60  # Strava's short rate window, reset at :00, :15, :30, :45 (the daily one at 00:00 UTC)
REQUEST_TIMEOUT_S = 15
DEFAULT_RATE_WAIT_S = 60  # Google Health's limits are per minute; a 429 without Retry-After waits this long


class UploadError(Exception):
    """A failed upload. `retry_after` is when to try again (None: retry with the queue's backoff);
    `permanent` means trying again cannot help (a rejected file); `unauthorized` means the access token was
    refused, so the job waits for a fresh one (Alexa sends one with the person's next request); `relink` means
    no fresh token of this kind can help: the person has to link the account again."""

    def __init__(
        self, message: str, retry_after: float | None = None, permanent: bool = False, unauthorized: bool = False,
        relink: bool = False,
    ) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        self.permanent = permanent or relink
        self.unauthorized = unauthorized
        self.relink = relink


class Uploader(Protocol):
    service: str

    def upload(self, workout_log: dict[str, Any], samples: list[tuple[int, int]]) -> str:
        """Uploads one workout; returns the service's id for it, or raises UploadError."""


def _session(session: Any) -> Any:
    if session is not None:
        return session
    import requests  # here, not at import: the skill's own Lambda imports this module's names, never uploads

    return requests.Session()


def _json(answer: Any) -> dict[str, Any]:
    try:
        body = answer.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


class StravaUploader:
    """Strava's two upload endpoints: POST /uploads (multipart: the FIT file, data_type, external_id, name,
    description), then GET /uploads/{id} until Strava has processed the file into an activity."""

    service = STRAVA

    def __init__(
        self, access_token: str, session: Any = None, poll_seconds: float = 1.0, timeout: float = 60,
        base_url: str = STRAVA_API, clock: Callable[[], float] = time.time,
    ) -> None:
        self._token = access_token
        self._session = _session(session)
        self._poll = poll_seconds
        self._timeout = timeout
        self._base = base_url.rstrip("/")
        self._clock = clock

    def upload(self, workout_log: dict[str, Any], samples: list[tuple[int, int]]) -> str:
        external_id = f"backcoach-{workout_log['started_at_ms']}"
        upload = self._call("POST", "/uploads", files={
            "file": (f"{external_id}.fit", encoded(workout_log, samples), "application/octet-stream"),
        }, data={
            "data_type": "fit", "external_id": external_id, "name": workout_log["name"],
            "description": "Upper back strength workout coached by Back Coach",
        })
        deadline = time.monotonic() + self._timeout
        while True:
            done = self._outcome(upload)
            if done is not None:
                return done
            if time.monotonic() > deadline:  # the next try uploads again; Strava then names the duplicate
                raise UploadError("Strava is still processing the upload")
            time.sleep(self._poll)
            upload = self._call("GET", f"/uploads/{upload.get('id_str') or upload['id']}")

    def _outcome(self, upload: dict[str, Any]) -> str | None:
        """The activity id once Strava has processed the file; None while it is still processing."""
        error = str(upload.get("error") or "")
        if error:
            duplicate = DUPLICATE.search(error)
            if duplicate:  # sent before (an answer lost on the way back): it is there, under that id
                return duplicate.group(1)
            raise UploadError(f"Strava refused the file: {error[:120]}", permanent=True)
        if upload.get("activity_id"):
            return str(upload["activity_id"])
        if "id" not in upload:
            raise UploadError("Strava answered without an upload")
        return None

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        import requests

        try:
            answer = self._session.request(method, self._base + path, timeout=REQUEST_TIMEOUT_S,
                                           headers={"Authorization": f"Bearer {self._token}"}, **kwargs)
        except requests.RequestException as e:
            raise UploadError(f"Strava unavailable: {type(e).__name__}") from None
        body = _json(answer)
        wait = self._rate_wait(answer)
        if answer.status_code == 429:
            raise UploadError("Strava rate limit", retry_after=wait or _retry_after(answer) or STRAVA_WINDOW_S)
        if answer.status_code in (401, 403):  # an expired or revoked token, or one without activity:write
            raise UploadError("Strava refused the access token", unauthorized=True)
        if answer.status_code in (200, 201) and "id" in body:
            if wait and not (body.get("error") or body.get("activity_id")):
                # The window is used up: polling would only be refused. The next try finds the duplicate.
                raise UploadError("Strava rate limit", retry_after=wait)
            return body
        if answer.status_code in (400, 413, 422):
            raise UploadError(f"Strava refused the upload ({answer.status_code}): {_message(body)}", permanent=True)
        raise UploadError(f"Strava answered {answer.status_code}")

    def _rate_wait(self, answer: Any) -> float | None:
        """Seconds until the used-up window resets, from X-RateLimit-Limit/-Usage ("15 min,daily");
        None while every window has room."""
        now = self._clock()
        waits = []
        for prefix in ("X-RateLimit", "X-ReadRateLimit"):
            try:
                limits = [int(x) for x in answer.headers.get(f"{prefix}-Limit", "").split(",")]
                usage = [int(x) for x in answer.headers.get(f"{prefix}-Usage", "").split(",")]
            except ValueError:
                continue
            for window, (limit, used) in enumerate(zip(limits, usage, strict=False)):
                if used >= limit:
                    span = STRAVA_WINDOW_S if window == 0 else 24 * 3600
                    waits.append(span - now % span + 1)
        return max(waits) if waits else None


class GoogleHealthUploader:
    """Fitbit uploads through Google's Health API: one exercise data point of type STRENGTH_TRAINING, created with
    `users.dataTypes.dataPoints.create` and an OAuth bearer token from Google (scope googlehealth.activity_and_fitness).

    The data point's id is ours (`backcoach-<start ms>`), so sending a workout twice is answered 409
    ALREADY_EXISTS, which counts as sent. Tokens from the legacy Fitbit sign-in cannot work here at all: those
    jobs fail once, asking the person to link again, instead of waiting for a token that will never come."""

    service = FITBIT

    def __init__(self, access_token: str, session: Any = None, base_url: str = GOOGLE_HEALTH_API) -> None:
        self._token = access_token
        self._session = _session(session)
        self._base = base_url.rstrip("/")

    def upload(self, workout_log: dict[str, Any], samples: list[tuple[int, int]]) -> str:
        import requests

        if legacy_fitbit_token(self._token):
            raise UploadError("Fitbit now signs in through Google; the old Fitbit sign-in cannot upload",
                              relink=True)
        point = exercise_data_point(workout_log, samples)
        point_id = point["name"].rsplit("/", 1)[1]
        try:
            answer = self._session.post(self._base + EXERCISE_POINTS, json=point, timeout=REQUEST_TIMEOUT_S,
                                        headers={"Authorization": f"Bearer {self._token}"})
        except requests.RequestException as e:
            raise UploadError(f"Fitbit unavailable: {type(e).__name__}") from None
        body = _json(answer)
        if 200 <= answer.status_code < 300:  # a long-running Operation, normally done at once
            error = body.get("error")
            if isinstance(error, dict):
                return _operation_failed(error, point_id)
            created = str((body.get("response") or {}).get("name") or point_id)
            return created.rsplit("/", 1)[-1]
        status, reason = _google_error(body)
        if answer.status_code == 409:  # ALREADY_EXISTS: sent before, its answer lost on the way back
            return point_id
        if answer.status_code == 401:
            raise UploadError("Fitbit (Google) refused the access token", unauthorized=True)
        if answer.status_code == 403 or reason == "ACCOUNT_NOT_LINKED":
            # No write permission granted, or a Google account without Fitbit data: only linking again helps.
            raise UploadError(f"Fitbit (Google) refused the upload: {reason or status or answer.status_code}",
                              relink=True)
        if answer.status_code == 429:
            raise UploadError("Fitbit rate limit", retry_after=_retry_after(answer) or DEFAULT_RATE_WAIT_S)
        if answer.status_code in (400, 404, 413):
            raise UploadError(f"Fitbit refused the workout ({answer.status_code} {status})", permanent=True)
        raise UploadError(f"Fitbit answered {answer.status_code}")


def encoded(workout_log: dict[str, Any], samples: list[tuple[int, int]]) -> bytes:
    """The workout as a FIT file; a log the encoder cannot write is a permanent failure (retrying cannot help)."""
    try:
        return to_fit(workout_log, samples)
    except Exception as e:  # noqa: BLE001 - whatever the encoder raises, the same log would raise it again
        raise UploadError(f"the workout could not be written as a FIT file ({type(e).__name__})",
                          permanent=True) from None


FitbitUploader = GoogleHealthUploader  # the name people know; Google's Health API is where Fitbit data lives now


def exercise_data_point(workout_log: dict[str, Any], samples: list[tuple[int, int]]) -> dict[str, Any]:
    """The DataPoint body for one workout: its interval (UTC, with the person's offset from it when the log knows
    their time zone), type, name, active time and summary metrics."""
    start_ms = workout_log["started_at_ms"]
    end_ms = max(workout_log["finished_at_ms"], start_ms + 1000)
    zone = str(workout_log.get("zone") or DEFAULT_ZONE)  # logs written before zones were kept: UTC
    seconds = int(active_seconds(workout_log))
    summary: dict[str, Any] = {"caloriesKcal": estimated_calories(seconds)}
    heart = [bpm for t, bpm in samples if start_ms <= t <= end_ms]
    if heart:
        summary["averageHeartRateBeatsPerMinute"] = round(sum(heart) / len(heart))
    return {
        "name": f"users/me/dataTypes/exercise/dataPoints/backcoach-{start_ms}",
        "exercise": {
            "interval": {"startTime": _rfc3339(start_ms), "startUtcOffset": f"{utc_offset_seconds(start_ms, zone)}s",
                         "endTime": _rfc3339(end_ms), "endUtcOffset": f"{utc_offset_seconds(end_ms, zone)}s"},
            "exerciseType": "STRENGTH_TRAINING",
            "displayName": workout_log["name"],
            "activeDuration": f"{seconds}s",
            "metricsSummary": summary,
        },
    }


def legacy_fitbit_token(token: str) -> bool:
    """True for an access token from the legacy Fitbit sign-in: a JWT whose issuer is "Fitbit". Google's access
    tokens are opaque ("ya29.…")."""
    parts = token.split(".")
    if len(parts) != 3:
        return False
    try:
        claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, binascii.Error):
        return False
    return isinstance(claims, dict) and claims.get("iss") == "Fitbit"


def _operation_failed(error: dict[str, Any], point_id: str) -> str:
    """A create Operation that ended in an error (google.rpc.Status codes)."""
    code = error.get("code")
    if code == 6:  # ALREADY_EXISTS
        return point_id
    if code == 16:  # UNAUTHENTICATED
        raise UploadError("Fitbit (Google) refused the access token", unauthorized=True)
    if code in (3, 9):  # INVALID_ARGUMENT, FAILED_PRECONDITION
        raise UploadError(f"Fitbit refused the workout: {str(error.get('message', ''))[:120]}", permanent=True)
    raise UploadError(f"Fitbit could not store the workout (code {code})")


def _google_error(body: dict[str, Any]) -> tuple[str, str]:
    """(status, reason) of Google's error body {"error": {"code", "message", "status", "details": [ErrorInfo]}}."""
    error = body.get("error") if isinstance(body.get("error"), dict) else {}
    reasons = [d.get("reason", "") for d in error.get("details", []) if isinstance(d, dict)]
    return str(error.get("status", "")), next((r for r in reasons if r), "")


def _retry_after(answer: Any) -> float | None:
    try:
        return max(1.0, float(answer.headers.get("Retry-After", "")))
    except ValueError:
        return None  # absent, or an HTTP date: the caller's default


def _message(body: dict[str, Any]) -> str:
    fields = ", ".join(str(e.get("field", "")) for e in body.get("errors", []) if isinstance(e, dict))
    return f"{body.get('message', '')} {fields}".strip()[:120]


def _rfc3339(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def uploaders(
    strava_session: Any = None, fitbit_base: str = GOOGLE_HEALTH_API, poll_seconds: float = 1.0, timeout: float = 30,
    fitbit_session: Any = None,
) -> Callable[[str, str], Uploader | None]:
    """The real clients, one per job and token (the sessions and base let tests point them at a local server)."""

    def uploader_for(service: str, token: str) -> Uploader | None:
        if service == STRAVA:
            return StravaUploader(token, session=strava_session, poll_seconds=poll_seconds, timeout=timeout)
        if service == FITBIT:
            return GoogleHealthUploader(token, session=fitbit_session, base_url=fitbit_base)
        return None

    return uploader_for
