"""Builds request envelopes shaped exactly like the ones Alexa sends to a custom skill."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

LOCAL_SKILL_ID = "amzn1.ask.skill.00000000-0000-4000-8000-backc0ach000"
API_ENDPOINT = "https://api.amazonalexa.com"
NO_API = "http://127.0.0.1:9"  # the local Echo's apiEndpoint: no Alexa APIs here (a call is refused at once)
# What an Echo Show 8 says about its screen (supportedInterfaces and the viewport), for `--device-kind show`.
APL_INTERFACE = {"Alexa.Presentation.APL": {"runtime": {"maxVersion": "2024.2"}}}
SHOW_VIEWPORT = {
    "experiences": [{"arcMinuteWidth": 221, "arcMinuteHeight": 162, "canRotate": False, "canResize": False}],
    "mode": "HUB", "shape": "RECTANGLE", "pixelWidth": 1280, "pixelHeight": 800, "dpi": 160,
    "currentPixelWidth": 1280, "currentPixelHeight": 800, "touch": ["SINGLE"], "keyboard": [],
}
DEVICE_KINDS = ("speaker", "show")


def timestamp(epoch_seconds: float) -> str:
    """Alexa's request timestamp format: ISO 8601 in UTC, to the second."""
    return datetime.fromtimestamp(int(epoch_seconds), tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def user_id(name: str) -> str:
    return f"amzn1.ask.account.{name}"


def person_id(name: str) -> str:
    """A recognised voice (personalisation on): Alexa's person ids look like this."""
    return f"amzn1.ask.person.{name}"


def device_id(name: str) -> str:
    return f"amzn1.ask.device.{name}"


def slot_value(name: str, value: str, match: tuple[str, str] | None, slot_type: str,
               skill_id: str = LOCAL_SKILL_ID) -> dict[str, Any]:
    """A filled slot with entity resolution: ER_SUCCESS_MATCH with (id, name) or ER_SUCCESS_NO_MATCH."""
    authority: dict[str, Any] = {
        "authority": f"amzn1.er-authority.echo-sdk.{skill_id}.{slot_type}",
        "status": {"code": "ER_SUCCESS_MATCH" if match else "ER_SUCCESS_NO_MATCH"},
    }
    if match:
        authority["values"] = [{"value": {"name": match[1], "id": match[0]}}]
    return {
        "name": name,
        "value": value,
        "confirmationStatus": "NONE",
        "source": "USER",
        "resolutions": {"resolutionsPerAuthority": [authority]},
    }


def empty_slot(name: str) -> dict[str, Any]:
    return {"name": name, "confirmationStatus": "NONE"}


def launch_request(at: float, locale: str = "en-US") -> dict[str, Any]:
    return _request("LaunchRequest", at, locale)


def intent_request(name: str, at: float, slots: dict[str, dict[str, Any]] | None = None,
                   locale: str = "en-US") -> dict[str, Any]:
    request = _request("IntentRequest", at, locale)
    request["dialogState"] = "COMPLETED" if slots else "STARTED"
    request["intent"] = {"name": name, "confirmationStatus": "NONE", "slots": slots or {}}
    return request


def user_event_request(arguments: list[str], at: float, token: str, locale: str = "en-US") -> dict[str, Any]:
    """A touch on the screen: what a SendEvent command sends (Alexa.Presentation.APL.UserEvent)."""
    request = _request("Alexa.Presentation.APL.UserEvent", at, locale)
    request["token"] = token
    request["arguments"] = arguments
    request["source"] = {"type": "TouchWrapper", "handler": "Press", "id": ""}
    return request


def session_ended_request(reason: str, at: float, locale: str = "en-US") -> dict[str, Any]:
    request = _request("SessionEndedRequest", at, locale)
    request["reason"] = reason
    return request


def _request(kind: str, at: float, locale: str) -> dict[str, Any]:
    return {
        "type": kind,
        "requestId": f"amzn1.echo-api.request.{uuid.uuid4()}",
        "timestamp": timestamp(at),
        "locale": locale,
    }


def envelope(
    request: dict[str, Any],
    *,
    user: str,
    device: str,
    session_id: str,
    new_session: bool,
    attributes: dict[str, Any] | None = None,
    skill_id: str = LOCAL_SKILL_ID,
    access_token: str = "",
    person: str = "",
    api_endpoint: str = NO_API,
    permissions: dict[str, Any] | None = None,
    device_kind: str = "speaker",
    player: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """`api_endpoint`: where Alexa's APIs are (the settings API, reminders); by default nowhere, so a local
    envelope never reaches Amazon's (API_ENDPOINT is what Alexa sends in North America). `access_token`: what
    Alexa sends for an account the person linked to the skill; `person`: the person id of a recognised voice
    (context.System.person), "" for a voice Alexa does not recognise; `device_kind` "show": a device with a
    screen (it lists Alexa.Presentation.APL and describes its viewport); `player`: a device with an
    AudioPlayer, and what it is playing (context.AudioPlayer); an AudioPlayer event has no session."""
    application = {"applicationId": skill_id}
    user_part: dict[str, Any] = {"userId": user}
    if access_token:
        user_part["accessToken"] = access_token
    screen = device_kind == "show"
    system: dict[str, Any] = {
        "application": application,
        "user": user_part,
        "device": {"deviceId": device, "supportedInterfaces": dict(APL_INTERFACE) if screen else {}},
        "apiEndpoint": api_endpoint,
        "apiAccessToken": "local-" + uuid.uuid4().hex,
    }
    if person:
        system["person"] = {"personId": person}
        if access_token:
            system["person"]["accessToken"] = access_token
    if permissions:
        user_part["permissions"] = permissions
    envelope: dict[str, Any] = {
        "version": "1.0",
        "session": {
            "new": new_session,
            "sessionId": session_id,
            "application": application,
            "attributes": attributes or {},
            "user": user_part,
        },
        "context": {"System": system},
        "request": request,
    }
    if screen:
        envelope["context"]["Viewport"] = SHOW_VIEWPORT
    if player is not None:
        envelope["context"]["System"]["device"]["supportedInterfaces"]["AudioPlayer"] = {}
        if player:
            envelope["context"]["AudioPlayer"] = player
        if request["type"].startswith(("AudioPlayer.", "PlaybackController.", "System.")):
            del envelope["session"]
    return envelope


def new_session_id() -> str:
    return f"amzn1.echo-api.session.{uuid.uuid4()}"


def player_event(kind: str, at: float, token: str = "", offset_ms: int = 0, locale: str = "en-US") -> dict[str, Any]:
    """An AudioPlayer or PlaybackController request (AudioPlayer ones name the stream and the offset)."""
    request = _request(kind, at, locale)
    if kind.startswith("AudioPlayer."):
        request["token"] = token
        request["offsetInMilliseconds"] = offset_ms
    if kind == "AudioPlayer.PlaybackFailed":
        request["error"] = {"type": "MEDIA_ERROR_UNKNOWN", "message": "simulated"}
        request["currentPlaybackState"] = {"token": token, "offsetInMilliseconds": offset_ms,
                                           "playerActivity": "PLAYING"}
    return request
