"""Reading what is needed from an Alexa request: slots and their resolutions, time, a loggable user key."""

from __future__ import annotations

import re
import time
import unicodedata
from dataclasses import dataclass
from typing import Any

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import IntentRequest
from ask_sdk_model.canfulfill import CanFulfillIntentRequest
from ask_sdk_model.slu.entityresolution import StatusCode

from skill.alexa import ids
from skill.turn.request import Who

# Longer than any exercise or workout name a person says; whatever is spoken back is at most this long.
MAX_SLOT_CHARS = 100
_NUMBER = re.compile(r"[0-9]{1,4}")
_UNSPEAKABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})  # control, format, surrogate, private, unassigned


def clean(text: str) -> str:
    """`text` as something that can be echoed: characters that are not speakable (and some not even valid in
    XML, such as NUL or a lone surrogate) become spaces, runs of space one, and the whole at most MAX_SLOT_CHARS."""
    kept = "".join(" " if unicodedata.category(c) in _UNSPEAKABLE else c for c in text[: MAX_SLOT_CHARS * 4])
    return " ".join(kept.split())[:MAX_SLOT_CHARS].strip()


@dataclass(frozen=True)
class SlotValue:
    """A slot as the person said it and, when Alexa's entity resolution matched, the value's id."""

    spoken: str = ""
    resolved_id: str = ""


def slot(handler_input: HandlerInput, name: str) -> SlotValue:
    """The slot `name` of an intent request (or of a CanFulfillIntentRequest, which asks about one), cleaned
    (see `clean`); an empty SlotValue when missing, empty or malformed."""
    request = handler_input.request_envelope.request
    if not isinstance(request, IntentRequest | CanFulfillIntentRequest) or request.intent is None \
            or not request.intent.slots:
        return SlotValue()
    found = request.intent.slots.get(name)
    if found is None or not found.value:
        return SlotValue()
    resolved = ""
    authorities = found.resolutions.resolutions_per_authority if found.resolutions else None
    for authority in authorities or []:
        if authority.status and authority.status.code == StatusCode.ER_SUCCESS_MATCH and authority.values:
            resolved = authority.values[0].value.id or ""
            break
    return SlotValue(spoken=clean(str(found.value)), resolved_id=clean(resolved))


def number_slot(handler_input: HandlerInput, name: str) -> int | None:
    """An AMAZON.NUMBER slot as an int, or None when missing or not a whole number of ASCII digits ("?" is what
    Alexa sends for a number it could not hear; "²" is a digit to `str.isdigit` but not to `int`)."""
    spoken = slot(handler_input, name).spoken
    return int(spoken) if _NUMBER.fullmatch(spoken) else None


def request_type(handler_input: HandlerInput) -> str:
    return handler_input.request_envelope.request.object_type or ""


def who(handler_input: HandlerInput) -> Who:
    """Whose data the request reads and writes."""
    return Who(record_key=record_key(handler_input), shared_key=shared_record_key(handler_input),
               person_key=person_key(handler_input), log_key=user_key(handler_input),
               person=bool(person_id(handler_input)))


def device_id(handler_input: HandlerInput) -> str:
    """The device's Alexa id, or "" when the request names none in Alexa's shape."""
    system = _system(handler_input)
    device = system.device if system is not None else None
    found = (device.device_id or "") if device is not None else ""
    return found if ids.is_alexa_id("device", found) else ""  # it goes into a settings API path: Alexa's only


def request_time_ms(handler_input: HandlerInput) -> int:
    """When the person spoke, from the request's timestamp (the clock barge-ins are measured on)."""
    timestamp = handler_input.request_envelope.request.timestamp
    if timestamp is None:
        return int(time.time() * 1000)
    return int(timestamp.timestamp() * 1000)


def _system(handler_input: HandlerInput) -> Any:
    return handler_input.request_envelope.context.system if handler_input.request_envelope.context else None


def _user_id(handler_input: HandlerInput) -> str:
    system = _system(handler_input)
    return (system.user.user_id or "") if system and system.user else ""


def person_id(handler_input: HandlerInput) -> str:
    """The recognised speaker (context.System.person.personId: a voice whose owner turned on personalisation),
    or "" for anyone else, who uses the account's shared profile."""
    system = _system(handler_input)
    person = getattr(system, "person", None) if system else None
    return (person.person_id or "") if person is not None else ""


def shared_record_key(handler_input: HandlerInput) -> str:
    """The account's shared profile: the Alexa user id, as every release has keyed it (nothing moves). Raises
    BadId for a request that names no user or a user id not in Alexa's shape (the boundary refuses those first)."""
    return ids.record_key_of(_user_id(handler_input))


def record_key(handler_input: HandlerInput) -> str:
    """Whose record a request reads and writes: a recognised voice's own, or the account's shared one."""
    return ids.record_key_of(_user_id(handler_input), person_id(handler_input))


def record_key_of(user_id: str, person_id: str = "") -> str:
    """The record key of a user id and a recognised voice's person id ("" for the account's shared profile)."""
    return ids.record_key_of(user_id, person_id)


def person_key(handler_input: HandlerInput) -> str:
    """A one-way hash of whose data it is (the Alexa user id, and the recognised voice when there is one): how
    logs, uploads and wearable data refer to a person. Without a voice it is the hash every release used."""
    return ids.person_hash(_user_id(handler_input), person_id(handler_input))


def user_key(handler_input: HandlerInput) -> str:
    """A short one-way hash of the Alexa user id, for logs (never log the id itself); "-" for a request whose ids
    are not Alexa's (its log line must not fail, nor carry the id)."""
    try:
        return person_key(handler_input)[:12]
    except ids.BadId:
        return "-"


def access_token(handler_input: HandlerInput) -> str:
    """The access token of the account the person linked to the skill ("" when none is linked); with
    personalisation, a recognised voice links its own account."""
    system = _system(handler_input)
    person = getattr(system, "person", None) if system else None
    if person is not None and person.person_id:
        return person.access_token or ""
    return (system.user.access_token or "") if system and system.user else ""


def alexa_api(handler_input: HandlerInput) -> tuple[str, str]:
    """Where the skill reaches Alexa's APIs for this request, and the token for them (apiEndpoint,
    apiAccessToken); ("", "") when the request carries none."""
    system = _system(handler_input)
    if system is None:
        return "", ""
    return system.api_endpoint or "", system.api_access_token or ""


_HOURS = {w: n for n, w in enumerate(("twelve", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                                      "ten", "eleven"))}
_MINUTES = {"o'clock": 0, "oclock": 0, "fifteen": 15, "thirty": 30, "forty five": 45, "half past": 30}


def time_slot(handler_input: HandlerInput, name: str) -> int | None:
    """An AMAZON.TIME slot as minutes after midnight: Alexa sends "07:00" or "19:30"; words ("seven", "seven
    thirty pm") are read too. An hour without a.m. or p.m. from one to four means the afternoon; otherwise the
    morning (the answer says which, so the person can put it right). None when no time was heard."""
    spoken = slot(handler_input, name).spoken.lower().replace(".", "")
    if not spoken:
        return None
    clock = re.fullmatch(r"(\d{1,2}):(\d{2})", spoken)
    if clock:
        hour, minute = int(clock.group(1)), int(clock.group(2))
        return hour * 60 + minute if hour < 24 and minute < 60 else None
    pm = bool(re.search(r"\b(pm|p m|in the evening|tonight)\b", spoken))
    am = bool(re.search(r"\b(am|a m|in the morning)\b", spoken))
    words = re.sub(r"\b(pm|p m|am|a m|in the evening|in the morning|tonight)\b", "", spoken).split()
    if not words:
        return None
    first = words[0]
    hour = int(first) if first.isdigit() and int(first) <= 12 else _HOURS.get(first)
    if hour is None:
        return None
    rest = " ".join(words[1:])
    minute = _MINUTES.get(rest, int(rest) if rest.isdigit() and int(rest) < 60 else 0)
    hour %= 12
    if pm or (not am and 1 <= hour <= 4):
        hour += 12
    return hour * 60 + minute
