"""Which time zone a person's calendar is counted in: the device's, read from Alexa's settings service and
cached in the person's record (the zone, a hash of the device it was read for, and when).

Why the record and not an in-process cache: Lambda containers come and go and a person's sessions land on any
of them, so a per-container cache would rarely hold their zone; the record is read every session anyway, keeps
the last zone known for when a read fails, and needs no write of its own (a zone read rides along with the next
write the turn makes anyway, such as a finished workout). So: at most one read of the settings API per session
(none while the record's zone is under a day old and from this device, nor for someone new saying hello), never
a write just for it. Requests without a session (AudioPlayer events) never read: they count on the record's zone.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import replace

from ask_sdk_core.handler_input import HandlerInput

from skill.alexa.requests import alexa_api
from skill.engine.record import PersonRecord, ZoneSeen

log = logging.getLogger("backcoach.zones")

ZONE_TRIED = "zone_tried"  # session attribute: the zone was read (or tried) in this session
MAX_AGE_MS = 24 * 3600 * 1000  # a zone read is trusted for a day (people travel; the Alexa app can change it)
ZoneSource = Callable[[str, str, str], str]  # (apiEndpoint, apiAccessToken, deviceId) -> IANA zone, or ZoneError


def settings_api(endpoint: str, token: str, device_id: str) -> str:
    """The deployed source: Alexa's settings API (imported on the first read)."""
    from skill.alexa.settings_api import device_time_zone

    return device_time_zone(endpoint, token, device_id)


def device_id(handler_input: HandlerInput) -> str:
    context = handler_input.request_envelope.context
    device = context.system.device if context and context.system else None
    return (device.device_id or "") if device else ""


def device_hash(device: str) -> str:
    """A short one-way hash of a device id: what the record keeps (never the id itself)."""
    return hashlib.sha256(device.encode()).hexdigest()[:16]


class Zones:
    """`source`: where zones come from (Alexa's settings API; `backcoach chat` passes the machine's zone);
    `max_age_ms`: how long a zone read is trusted."""

    def __init__(self, source: ZoneSource = settings_api, max_age_ms: int = MAX_AGE_MS) -> None:
        self.source = source
        self.max_age_ms = max_age_ms

    def refreshed(self, handler_input: HandlerInput, record: PersonRecord, now_ms: int) -> PersonRecord:
        """`record` with its zone read again when it is missing, from another device or a day old, at most once
        per session. A failed read keeps the last zone known (UTC when there is none) and is logged without ids."""
        envelope = handler_input.request_envelope
        device = device_id(handler_input)
        if envelope.session is None or not device:
            return record
        if record.workout is None and not record.history and envelope.request.object_type == "LaunchRequest":
            # Someone new saying hello: their calendar has nothing to count yet, and the welcome should not wait
            # on a network call it does not use. The next turn of the session reads the zone.
            return record
        session = handler_input.attributes_manager.session_attributes
        seen, mine = record.zone, device_hash(device)
        if seen.name and seen.device == mine and 0 <= now_ms - seen.read_at_ms < self.max_age_ms:
            return record
        if session.get(ZONE_TRIED):
            return record
        session[ZONE_TRIED] = True
        from skill.alexa.settings_api import ZoneError

        try:
            zone = self.source(*alexa_api(handler_input), device)
        except Exception as e:  # noqa: BLE001 - the day is still counted, on the last zone known
            why = str(e) if isinstance(e, ZoneError) else type(e).__name__  # ZoneError's words carry no ids
            log.warning("time zone not read why=%s counting_in=%s", why, record.local_zone)
            return record
        return replace(record, zone=ZoneSeen(zone, mine, now_ms))
