"""Captured Alexa request envelopes, and a loader that makes variations of them."""

from __future__ import annotations

import copy
import json
import time
import uuid
from functools import cache
from pathlib import Path
from typing import Any

from skill.cli.envelopes import timestamp

EVENTS = Path(__file__).parent
# Where the events send the skill for Alexa's APIs: the captured envelopes say https://api.amazonalexa.com, and
# tests/conftest.py points them at a loopback stand-in (nothing in a test reaches past loopback).
API_ENDPOINT = "http://127.0.0.1:9"


@cache
def _template(name: str) -> dict[str, Any]:
    return json.loads((EVENTS / f"{name}.json").read_text(encoding="utf-8"))


def event(
    name: str,
    *,
    at: float | None = None,
    user: str | None = None,
    device: str | None = None,
    session_id: str | None = None,
    new: bool | None = None,
    attributes: dict[str, Any] | None = None,
    access_token: str | None = None,
) -> dict[str, Any]:
    """A copy of the captured event `name` with the given time (epoch s), ids and session attributes."""
    body = copy.deepcopy(_template(name))
    system = body["context"]["System"]
    body["request"]["requestId"] = f"amzn1.echo-api.request.{uuid.uuid4()}"
    if "apiEndpoint" in system:
        system["apiEndpoint"] = API_ENDPOINT
    if at is not None:
        body["request"]["timestamp"] = timestamp(at)
    if user is not None:
        body["session"]["user"]["userId"] = system["user"]["userId"] = f"amzn1.ask.account.{user}"
    if device is not None:
        system["device"]["deviceId"] = f"amzn1.ask.device.{device}"
    if session_id is not None:
        body["session"]["sessionId"] = session_id
    if new is not None:
        body["session"]["new"] = new
    if attributes is not None:
        body["session"]["attributes"] = attributes
    if access_token is not None:  # the account the person linked (Alexa account linking)
        body["session"]["user"]["accessToken"] = system["user"]["accessToken"] = access_token
    return body


def now_event(name: str, **kwargs: Any) -> dict[str, Any]:
    """The captured event `name`, sent now (the web endpoint checks a request's timestamp)."""
    return event(name, at=time.time(), **kwargs)


SKILL_ID = event("launch")["context"]["System"]["application"]["applicationId"]  # the captured events' skill
AMAZON_CERT_URL = "https://s3.amazonaws.com/echo.api/echo-api-cert-12.pem"  # a SignatureCertChainUrl Alexa sends
