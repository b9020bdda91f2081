"""Reading what is needed from an Alexa request: slots and their resolutions, time, a loggable user key."""

from __future__ import annotations

import hashlib
import re
import time
import unicodedata
from dataclasses import dataclass

from ask_sdk_core.handler_input import HandlerInput
from ask_sdk_model import IntentRequest
from ask_sdk_model.slu.entityresolution import StatusCode

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
    """The slot `name` of an intent request, cleaned (see `clean`); an empty SlotValue when missing, empty or
    malformed."""
    request = handler_input.request_envelope.request
    if not isinstance(request, IntentRequest) or request.intent is None or not request.intent.slots:
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


def request_time_ms(handler_input: HandlerInput) -> int:
    """When the person spoke, from the request's timestamp (the clock barge-ins are measured on)."""
    timestamp = handler_input.request_envelope.request.timestamp
    if timestamp is None:
        return int(time.time() * 1000)
    return int(timestamp.timestamp() * 1000)


def record_key(handler_input: HandlerInput) -> str:
    """Whose record a request reads and writes: the Alexa user id, as every release has keyed it."""
    system = handler_input.request_envelope.context.system if handler_input.request_envelope.context else None
    user_id = system.user.user_id if system and system.user else ""
    if not user_id:
        raise ValueError("the request names no user")
    return user_id


def person_key(handler_input: HandlerInput) -> str:
    """A one-way hash of the Alexa user id: how wearable data refers to a person."""
    system = handler_input.request_envelope.context.system if handler_input.request_envelope.context else None
    user_id = system.user.user_id if system and system.user else ""
    return hashlib.sha256((user_id or "").encode()).hexdigest()


def user_key(handler_input: HandlerInput) -> str:
    """A short one-way hash of the Alexa user id, for logs (never log the id itself)."""
    return person_key(handler_input)[:12]


def access_token(handler_input: HandlerInput) -> str:
    """The access token of the account the person linked to the skill ("" when none is linked)."""
    system = handler_input.request_envelope.context.system if handler_input.request_envelope.context else None
    return (system.user.access_token or "") if system and system.user else ""
