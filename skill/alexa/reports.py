"""What Alexa reports back about an earlier response: `System.ExceptionEncountered` (that response was invalid
or failed on the device) and `Alexa.Presentation.APL.RuntimeError` (a screen document failed). Both are answered
with nothing; the point is the log line, so the next fix knows what went wrong. Read from the raw JSON, so a
report the pinned ask-sdk-model cannot deserialise (an APL error type it does not know) is logged all the same.
Only what Alexa says about the error is logged: its type, a cleaned and shortened message, and for a device
error the request it was about; never ids of a person or a device."""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("backcoach.reports")

REPORTS = ("System.ExceptionEncountered", "Alexa.Presentation.APL.RuntimeError")
MAX_MESSAGE = 200  # enough for Alexa's error messages, which name the field that was wrong
MAX_ERRORS = 5  # an APL RuntimeError lists every failure of a document; the first few say what broke


def is_report(kind: str) -> bool:
    return kind in REPORTS


def _text(value: Any, limit: int = MAX_MESSAGE) -> str:
    """A field as one short printable line (a report's text is Alexa's, but it is echoed into our logs)."""
    if not isinstance(value, str | int | float):
        return "?"
    return "".join(c if c.isprintable() else " " for c in str(value)[:limit]).strip() or "?"


def log_report(kind: str, request: dict[str, Any]) -> None:
    """One log line for what Alexa reported in `request` (the envelope's request object)."""
    if kind == "System.ExceptionEncountered":
        error = request.get("error") if isinstance(request.get("error"), dict) else {}
        cause = request.get("cause") if isinstance(request.get("cause"), dict) else {}
        log.warning("Alexa reported an exception type=%s message=%s about_request=%s", _text(error.get("type"), 60),
                    _text(error.get("message")), _text(cause.get("requestId"), 120))
        return
    errors = request.get("errors") if isinstance(request.get("errors"), list) else []
    found = [e for e in errors[:MAX_ERRORS] if isinstance(e, dict)]
    described = "; ".join(f"{_text(e.get('type'), 40)}: {_text(e.get('message'))}" for e in found) or "none listed"
    log.warning("APL runtime error count=%d errors=%s", len(errors), described)
