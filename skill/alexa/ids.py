"""Alexa's ids, checked once at the request boundary, and the keys built from them.

A user id is `amzn1.ask.account.<value>`, a recognised voice's person id `amzn1.ask.person.<value>`, a device id
`amzn1.ask.device.<value>`. The values Alexa sends are upper-case letters and digits; the check is kept looser
than that (letters, digits, `-`, `_`, `.`) so a real id is never refused, but it never lets through `#` (the
separator of record keys), `/` (the device id goes into a settings API path), spaces or control characters.

Keys: because no checked id contains `#`, `<user>#person#<person>` is injective: the user id is everything before
the first `#`, the person id everything after `#person#`, and a key without `#` is a user's shared profile. So the
scheme every release has stored stays, and `split_record_key` reads a key back into the pair it came from.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

USER_PREFIX = "amzn1.ask.account."
PERSON_PREFIX = "amzn1.ask.person."
DEVICE_PREFIX = "amzn1.ask.device."
MAX_VALUE_CHARS = 512  # real values are about 200 characters; anything longer is not Alexa's
PERSON_SEPARATOR = "#person#"
_VALUE = f"[A-Za-z0-9._-]{{1,{MAX_VALUE_CHARS}}}"
_SHAPES = {kind: re.compile(re.escape(prefix) + _VALUE)
           for kind, prefix in (("user", USER_PREFIX), ("person", PERSON_PREFIX), ("device", DEVICE_PREFIX))}


class BadId(ValueError):
    """An id that is not in Alexa's shape; the message names the kind of id, never the id itself."""


def is_alexa_id(kind: str, value: Any) -> bool:
    """Whether `value` has the shape of Alexa's `kind` of id ("user", "person" or "device")."""
    return isinstance(value, str) and _SHAPES[kind].fullmatch(value) is not None


def checked(kind: str, value: str) -> str:
    """`value` when it is an Alexa id of `kind`; raises BadId otherwise (a key is never built from a forged id)."""
    if not is_alexa_id(kind, value):
        raise BadId(f"the {kind} id is not an Alexa {kind} id")
    return value


def envelope_id_problem(event: dict[str, Any]) -> str:
    """Why the ids a raw envelope names are not Alexa's ("" when every one present is): the user id (context and
    session, required), the person id and the device id (each when present)."""
    context = event.get("context")
    system = context.get("System") if isinstance(context, dict) else None
    if not isinstance(system, dict):
        return ""  # no System: the envelope's own checks answer this one
    found: list[tuple[str, Any, bool]] = [("user", _field(system, "user", "userId"), True)]
    session = event.get("session")
    if isinstance(session, dict) and isinstance(session.get("user"), dict):
        found.append(("user", _field(session, "user", "userId"), True))
    found.append(("person", _field(system, "person", "personId"), False))
    found.append(("device", _field(system, "device", "deviceId"), False))
    for kind, value, required in found:
        if (value is not None or required) and not is_alexa_id(kind, value):
            return f"the {kind} id is not an Alexa {kind} id"
    return ""


def _field(parent: dict[str, Any], name: str, key: str) -> Any:
    part = parent.get(name)
    return part.get(key) if isinstance(part, dict) else None


def record_key_of(user_id: str, person_id: str = "") -> str:
    """The record key of a user and a recognised voice ("" for the account's shared profile): the user id alone,
    or `<user>#person#<person>` as stored since voices got profiles. Injective over checked ids (see above)."""
    checked("user", user_id)
    return f"{user_id}{PERSON_SEPARATOR}{checked('person', person_id)}" if person_id else user_id


def split_record_key(key: str) -> tuple[str, str]:
    """The (user id, person id) a record key was built from; raises BadId for a key no checked pair gives."""
    user_id, separator, person_id = key.partition(PERSON_SEPARATOR)
    checked("user", user_id)
    if separator:
        checked("person", person_id)
    return user_id, person_id


def person_hash(user_id: str, person_id: str = "") -> str:
    """A one-way hash of whose data it is: the hash of the record key, as every release has made it (logs,
    uploads and heart rate are filed under it), so it is as injective as the key."""
    return hashlib.sha256(record_key_of(user_id, person_id).encode()).hexdigest()
