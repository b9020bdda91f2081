"""The one check of a request envelope, for the Lambda entry and for `backcoach serve` alike: what the SDK may
read, or the answer to give instead. A body that is no Alexa request at all is refused (`problem`: the web
endpoint answers 400); an envelope the SDK must not or cannot read (nested too deep, a request type the pinned
ask-sdk-model does not know, fields of the wrong shape) gets an Alexa answer: nothing where Alexa accepts no
speech, a short apology where it does; so does one whose user, person or device id is not in Alexa's shape
(skill/alexa/ids.py: keys are built from those ids). Session attributes nested too deep are dropped, not
refused: the session only ever carries a record still to be written, and the stored one is read instead.
Alexa's reports about an earlier response (skill.alexa.reports) are logged and answered with nothing here,
before the SDK reads them."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from functools import cache
from typing import Any

from skill.alexa.ids import envelope_id_problem
from skill.alexa.reports import is_report, log_report

log = logging.getLogger("backcoach.envelope")

# Alexa's envelopes are about ten levels deep; the SDK's (de)serializer recurses a few frames per level and fails
# with RecursionError a few hundred levels down.
MAX_JSON_DEPTH = 32
SPEECHLESS = ("SessionEndedRequest", "AudioPlayer.", "PlaybackController.", "System.", "Messaging.", "Reminders.",
              "Alexa.Presentation.APL.RuntimeError", "Alexa.Presentation.APLA.", "Alexa.Presentation.HTML.",
              "AlexaSkillEvent.", "AlexaHouseholdListEvent.", "CanFulfillIntentRequest", "Alexa.DataStore.",
              "Alexa.Advertisement.", "CustomInterfaceController.", "GameEngine.", "Alexa.Authorization.")
EMPTY: dict[str, Any] = {"version": "1.0", "response": {}}
_unknown_types_logged: set[str] = set()


@dataclass(frozen=True)
class Checked:
    envelope: Any = None  # the RequestEnvelope the SDK reads (None when there is an answer or a problem)
    answer: dict[str, Any] | None = None  # the response to give instead of dispatching
    problem: str = ""  # why this is no Alexa request for this skill ("" when it is one)


@cache
def _serializer() -> Any:
    from ask_sdk_core.serialize import DefaultSerializer

    return DefaultSerializer()


def json_depth(value: Any) -> int:
    """How deeply `value` nests lists and objects (counted up to just past MAX_JSON_DEPTH), without recursion:
    the point is to refuse deep values before anything recursive reads them."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if level <= MAX_JSON_DEPTH:
                stack.extend((child, level + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def speechless(kind: str) -> bool:
    """Requests Alexa accepts no speech in reply to."""
    return kind.startswith(SPEECHLESS)


def refusal(kind: str) -> dict[str, Any]:
    """The answer to a request the skill cannot read: nothing where no speech is allowed, else an apology."""
    if not isinstance(kind, str) or speechless(kind):
        return EMPTY
    from skill.speech.prompts import APOLOGY, APOLOGY_REPROMPT

    return {"version": "1.0", "response": {
        "outputSpeech": {"type": "PlainText", "text": APOLOGY},
        "reprompt": {"outputSpeech": {"type": "PlainText", "text": APOLOGY_REPROMPT}},
        "shouldEndSession": False}}


def check(event: Any, skill_id: str = "") -> Checked:
    """`event`: the envelope as parsed JSON; `skill_id`: the skill it must be for ("" for any)."""
    if not isinstance(event, dict) or not isinstance(event.get("request"), dict):
        return Checked(problem="the body is not an Alexa request envelope")
    kind = event["request"].get("type")
    if not isinstance(kind, str):
        return Checked(problem="the request has no type")
    if json_depth(event) > MAX_JSON_DEPTH:
        session = event.get("session")
        if isinstance(session, dict) and json_depth(session.get("attributes")) > MAX_JSON_DEPTH - 2:
            log.warning("dropped the session attributes: nested more than %d levels deep", MAX_JSON_DEPTH)
            event = {**event, "session": {**session, "attributes": {}}}
        if json_depth(event) > MAX_JSON_DEPTH:
            log.warning("refused a request nested more than %d levels deep", MAX_JSON_DEPTH)
            return Checked(answer=refusal(kind))
    context = event.get("context")
    system = context.get("System") if isinstance(context, dict) else None
    application = system.get("application") if isinstance(system, dict) else None
    if skill_id and (application.get("applicationId") if isinstance(application, dict) else None) != skill_id:
        return Checked(problem="the request is for another skill")
    bad_id = envelope_id_problem(event)
    if bad_id:  # a forged or garbled id: nothing is read or written under it (the log names no id)
        log.warning("refused a request type=%s: %s", kind[:80], bad_id)
        return Checked(answer=refusal(kind))
    if is_report(kind):
        log_report(kind, event["request"])
        return Checked(answer=EMPTY)
    from ask_sdk_model.request import Request

    if kind not in Request.discriminator_value_class_map:
        if kind not in _unknown_types_logged and len(_unknown_types_logged) < 100:
            _unknown_types_logged.add(kind)
            log.warning("unknown request type=%s answered with nothing", kind[:80])
        return Checked(answer=EMPTY)
    try:
        parsed = _serializer().deserialize(json.dumps(event), "ask_sdk_model.RequestEnvelope")
    except Exception as e:  # noqa: BLE001 - whatever the SDK cannot read is answered, never raised
        log.warning("unreadable request type=%s error=%s", kind[:80], type(e).__name__)
        return Checked(answer=refusal(kind))
    if parsed is None or parsed.request is None or parsed.context is None:
        log.warning("incomplete request type=%s", kind[:80])
        return Checked(answer=refusal(kind))
    return Checked(envelope=parsed)
