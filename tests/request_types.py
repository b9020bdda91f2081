"""Every request type Alexa documents for a custom skill with this skill's interfaces, built the way Alexa sends
it (a session only where Alexa opens one), and the shape of the answer Alexa accepts for each. Shared by the
table test (tests/integration/test_request_types.py) and the conversation fuzz."""

from __future__ import annotations

from typing import Any

from skill.cli import envelopes
from skill.speech import prompts
from skill.speech.ssml import check

REMINDERS_SCOPE = "alexa::alerts:reminders:skill:readwrite"
SILENT = "silent"  # no outputSpeech, card, reprompt or shouldEndSession (directives of the player at most)
SPOKEN = "spoken"  # speech allowed: valid SSML, no apology, a reprompt when the session stays open
CAN_FULFILL = "can_fulfill"  # only canFulfillIntent

# Types Alexa sends without a session (the answer cannot open one).
SESSIONLESS = ("AudioPlayer.", "PlaybackController.", "System.", "Messaging.", "Reminders.")
PLAYER = ["AudioPlayer.PlaybackStarted", "AudioPlayer.PlaybackNearlyFinished", "AudioPlayer.PlaybackFinished",
          "AudioPlayer.PlaybackStopped", "AudioPlayer.PlaybackFailed"]
BUTTONS = ["PlaybackController.PlayCommandIssued", "PlaybackController.PauseCommandIssued",
           "PlaybackController.NextCommandIssued", "PlaybackController.PreviousCommandIssued"]
REMINDERS = ["Reminders.ReminderCreated", "Reminders.ReminderUpdated", "Reminders.ReminderDeleted",
             "Reminders.ReminderStarted", "Reminders.ReminderStatusChanged"]
UNKNOWN = "Alexa.Tomorrow.SomethingNew"  # a type the pinned ask-sdk-model has never heard of


def _fields(kind: str) -> dict[str, Any]:
    """What a request of `kind` carries besides type, id, timestamp and locale (as Alexa's docs show it)."""
    if kind.startswith("AudioPlayer."):
        fields: dict[str, Any] = {"token": "another-skills-token", "offsetInMilliseconds": 1200}
        if kind == "AudioPlayer.PlaybackFailed":
            fields["error"] = {"type": "MEDIA_ERROR_UNKNOWN", "message": "the stream failed"}
            fields["currentPlaybackState"] = {"token": "t", "offsetInMilliseconds": 0, "playerActivity": "PLAYING"}
        return fields
    if kind.startswith("Reminders."):
        body: dict[str, Any] = {"alertToken": "reminder-token"}
        if kind == "Reminders.ReminderStatusChanged":
            body["status"] = "COMPLETED"
        return {"body": body}
    return {
        "Alexa.Presentation.APL.UserEvent": {"token": "backcoach.workout", "arguments": ["next"],
                                             "source": {"type": "TouchWrapper", "handler": "Press", "id": ""}},
        # "LINK_ERROR" is a type the pinned ask-sdk-model cannot deserialise (it knows LIST_ERROR only).
        "Alexa.Presentation.APL.RuntimeError": {"token": "backcoach.workout", "errors": [
            {"type": "LINK_ERROR", "reason": "LINK_ERROR", "message": "No such layout: Panel"}]},
        "Display.ElementSelected": {"token": "an-item"},
        "Messaging.MessageReceived": {"message": {"note": "from a companion app"}},
        "Connections.Response": {"name": "AskFor", "status": {"code": "200", "message": "OK"}, "token": "",
                                 "payload": {"permissionScope": REMINDERS_SCOPE, "status": "ACCEPTED"}},
        "SessionResumedRequest": {"cause": {"type": "ConnectionCompleted", "token": "t",
                                            "status": {"code": "200", "message": "OK"}, "result": {}}},
        "System.ExceptionEncountered": {
            "error": {"type": "INVALID_RESPONSE", "message": "An exception occurred in the response"},
            "cause": {"requestId": "amzn1.echo-api.request.earlier"}},
        "CanFulfillIntentRequest": {"intent": {"name": "ExplainExerciseIntent", "slots": {
            "EXERCISE": {"name": "EXERCISE", "value": "band pull apart"}}}},
    }.get(kind, {})


# Every documented type (and one from tomorrow), with the shape of the answer Alexa accepts for it.
TYPES: dict[str, str] = {
    **dict.fromkeys(PLAYER, SILENT), **dict.fromkeys(BUTTONS, SILENT),
    "Alexa.Presentation.APL.UserEvent": SPOKEN, "Alexa.Presentation.APL.RuntimeError": SILENT,
    "Display.ElementSelected": SILENT, "Messaging.MessageReceived": SILENT, **dict.fromkeys(REMINDERS, SILENT),
    "Connections.Response": SPOKEN, "SessionResumedRequest": SPOKEN, "System.ExceptionEncountered": SILENT,
    "CanFulfillIntentRequest": CAN_FULFILL, UNKNOWN: SILENT,
}


def request_of(kind: str, at: float, **fields: Any) -> dict[str, Any]:
    """The request object of `kind` at `at` (epoch s); `fields` replace the documented ones."""
    request = envelopes._request(kind, at, "en-US")
    request.update(_fields(kind))
    request.update(fields)
    return request


def envelope_of(request: dict[str, Any], user: str, session_id: str, new: bool = True,
                attributes: dict[str, Any] | None = None, device: str = "kitchen") -> dict[str, Any]:
    """The whole envelope, without a session where Alexa sends none."""
    body = envelopes.envelope(request, user=user, device=envelopes.device_id(device), session_id=session_id,
                              new_session=new, attributes=attributes)
    if request["type"].startswith(SESSIONLESS):
        del body["session"]
    return body


def shape_problems(kind: str, answer: dict[str, Any]) -> list[str]:
    """What in `answer` breaks the shape Alexa documents for a request of `kind` ([] when nothing does)."""
    problems = []
    body = answer.get("response")
    if answer.get("version") != "1.0" or not isinstance(body, dict):
        return ["not an Alexa response"]
    shape = TYPES[kind]
    if shape in (SILENT, CAN_FULFILL):
        problems += [f"{key} is not allowed" for key in ("outputSpeech", "card", "reprompt", "shouldEndSession")
                     if key in body]
        if shape == SILENT:
            problems += [f"directive {d.get('type')}" for d in body.get("directives") or []
                         if not d.get("type", "").startswith("AudioPlayer.")]
    if shape == CAN_FULFILL:
        problems += [f"{key} is not allowed" for key in body if key != "canFulfillIntent"]
        verdict = body.get("canFulfillIntent") or {}
        if verdict.get("canFulfill") not in ("YES", "NO", "MAYBE"):
            problems.append(f"canFulfill {verdict.get('canFulfill')!r}")
        for name, slot in (verdict.get("slots") or {}).items():
            if slot.get("canUnderstand") not in ("YES", "NO", "MAYBE") or slot.get("canFulfill") not in ("YES", "NO"):
                problems.append(f"slot {name}: {slot}")
    if shape == SPOKEN and "outputSpeech" in body:
        ssml = body["outputSpeech"].get("ssml", "")
        problems += check(ssml)
        if prompts.APOLOGY in ssml:
            problems.append("an apology")
        if body.get("shouldEndSession") is False and "reprompt" not in body:
            problems.append("an open session without a reprompt")
    return problems
