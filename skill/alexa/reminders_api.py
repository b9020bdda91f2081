"""Alexa's Reminders API, reached through the request's apiEndpoint with its apiAccessToken (the in-session
token: reminders may only be created in session). Standard library only, imported when a reminder is asked
for, so a cold start pays nothing for it. Uses `recurrenceRules` (the `freq` / `byDay` fields are deprecated).

Every failure is one `Failure` (skill.engine.reminders), for the engine to answer.
"""

from __future__ import annotations

import contextlib
import json
import logging
import urllib.error
import urllib.request
from typing import Any

from skill.engine.calendar import DEFAULT_ZONE, local_time
from skill.engine.reminders import Failure, RemindersFailed

log = logging.getLogger("backcoach.reminders")
PATH = "/v1/alerts/reminders"
TIMEOUT_S = 3.0  # the whole response must be back within about 8 s
BY_DAY = {"weekdays": "MO,TU,WE,TH,FR", "daily": "MO,TU,WE,TH,FR,SA,SU", "weekends": "SA,SU"}


class RemindersError(RemindersFailed):
    def __init__(self, failure: Failure, status: int = 0, code: str = "") -> None:
        super().__init__(failure, f"status={status} code={code}")


def classify(status: int, code: str) -> Failure:
    """A documented error as what the person is told: no permission (401, 403), too many reminders, throttled
    (429), or the service down (5xx)."""
    if status == 403 and ("MAX" in code.upper() or "LIMIT" in code.upper() or "EXCEEDED" in code.upper()):
        return Failure.TOO_MANY
    if status in (401, 403):
        return Failure.NO_PERMISSION
    if status == 429:
        return Failure.BUSY
    if status >= 500:
        return Failure.DOWN
    return Failure.REFUSED


def reminder_body(days: str, minute: int, text: str, locale: str, now_ms: int,
                  zone: str = DEFAULT_ZONE) -> dict[str, Any]:
    """A recurring reminder at `minute` past midnight on `days`, in the person's time zone: the recurrence
    starts now on their clock, and names the zone when it is known (else Alexa uses the device's own)."""
    now = local_time(now_ms, zone).replace(tzinfo=None)
    hour, minutes = divmod(minute, 60)
    by_day = BY_DAY.get(days, BY_DAY["weekdays"])
    rule = f"FREQ=WEEKLY;BYDAY={by_day};BYHOUR={hour};BYMINUTE={minutes};BYSECOND=0;INTERVAL=1"
    trigger: dict[str, Any] = {
        "type": "SCHEDULED_ABSOLUTE",
        "recurrence": {"startDateTime": now.replace(microsecond=0).isoformat(timespec="milliseconds"),
                       "recurrenceRules": [rule]},
    }
    if zone != DEFAULT_ZONE:
        trigger["timeZoneId"] = zone
    return {
        "requestTime": now.isoformat(timespec="milliseconds"),
        "trigger": trigger,
        "alertInfo": {"spokenInfo": {"content": [{"locale": locale, "text": text}]}},
        "pushNotification": {"status": "ENABLED"},
    }


class RemindersApi:
    def __init__(self, endpoint: str, token: str) -> None:
        if not endpoint or not token:
            raise RemindersError(Failure.NO_API)
        self.endpoint = endpoint.rstrip("/")
        self.token = token

    def create(self, body: dict[str, Any]) -> str:
        answer = self._call("POST", PATH, body)
        token = answer.get("alertToken") if isinstance(answer, dict) else None
        if not isinstance(token, str) or not token:
            raise RemindersError(Failure.DOWN)
        return token

    def list(self) -> list[str]:
        answer = self._call("GET", PATH)
        alerts = answer.get("alerts", []) if isinstance(answer, dict) else []
        return [a["alertToken"] for a in alerts if isinstance(a, dict) and isinstance(a.get("alertToken"), str)]

    def delete(self, alert_token: str) -> None:
        try:
            self._call("DELETE", f"{PATH}/{urllib.request.quote(alert_token, safe='')}")
        except RemindersError as e:
            if e.failure is not Failure.REFUSED:  # 404: already gone, which is what was wanted
                raise

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.endpoint + path, data=data, method=method, headers={
            "Authorization": f"Bearer {self.token}", "Content-Type": "application/json",
            "Accept": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
                raw = response.read()
        except urllib.error.HTTPError as e:
            code = ""
            with contextlib.suppress(ValueError, AttributeError):
                code = str(json.loads(e.read() or b"{}").get("code", ""))
            raise RemindersError(classify(e.code, code), e.code, code) from None
        except (urllib.error.URLError, TimeoutError, OSError):
            raise RemindersError(Failure.DOWN) from None
        try:
            return json.loads(raw) if raw else {}
        except ValueError:
            raise RemindersError(Failure.DOWN) from None


class AlexaReminders:
    """The turn's reminders service (skill.turn.Reminders) on Alexa's Reminders API: recurring reminders said in
    the request's locale."""

    def __init__(self, endpoint: str, token: str, locale: str, text: str) -> None:
        self.api = RemindersApi(endpoint, token)
        self.locale = locale
        self.text = text

    def create(self, days: str, minute: int, now_ms: int, zone: str) -> str:
        return self.api.create(reminder_body(days, minute, self.text, self.locale, now_ms, zone))

    def delete(self, token: str) -> None:
        self.api.delete(token)
