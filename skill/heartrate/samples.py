"""Sample ingest: one Open mHealth heart-rate-2.0 body checked and turned into (epoch ms, bpm)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

MIN_BPM, MAX_BPM = 25, 250


def parse_heart_rate(sample: Any, now: float) -> tuple[str, tuple[int, int]]:
    """Checks one Open mHealth heart-rate-2.0 body: ("", (epoch ms, bpm)) or (problem, (0, 0))."""
    if not isinstance(sample, dict):
        return "not an object", (0, 0)
    rate = sample.get("heart_rate")
    if not isinstance(rate, dict) or rate.get("unit") != "beats/min":
        return "heart_rate must be {\"value\": <number>, \"unit\": \"beats/min\"}", (0, 0)
    value = rate.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not MIN_BPM <= value <= MAX_BPM:
        return f"heart_rate.value must be a number from {MIN_BPM} to {MAX_BPM}", (0, 0)
    frame = sample.get("effective_time_frame")
    when = frame.get("date_time") if isinstance(frame, dict) else None
    if when is None and isinstance(frame, dict) and isinstance(frame.get("time_interval"), dict):
        when = frame["time_interval"].get("end_date_time")
    at = instant(when, now)
    if at is None:
        return "effective_time_frame needs a date_time (ISO 8601 with a time zone, not in the future)", (0, 0)
    return "", (at, round(value))


def instant(value: Any, now: float) -> int | None:
    """An ISO 8601 date-time with a zone, within the last day and not in the future, as epoch ms."""
    if not isinstance(value, str) or len(value) > 40:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return None
    seconds = moment.timestamp()
    if seconds > now + 60 or seconds < now - 24 * 3600:
        return None
    return int(seconds * 1000)
