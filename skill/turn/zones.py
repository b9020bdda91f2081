"""Which time zone a person's calendar is counted in: the device's, read from the platform (Alexa's settings
service) and cached in the person's record (the zone, a hash of the device it was read for, and when).

Why the record and not an in-process cache: Lambda containers come and go and a person's sessions land on any
of them, so a per-container cache would rarely hold their zone; the record is read every turn anyway, keeps the
last zone known for when a read fails, and needs no write of its own (a zone read rides along with the next
write the turn makes anyway, such as a finished workout). So: at most one read of the device's zone per session
(none while the record's zone is under a day old and from this device, nor for someone new saying hello), never
a write just for it. Requests without a session (audio player events) never read: they count on the record's.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from skill.engine.calendar import known_zone
from skill.engine.record import PersonRecord, ZoneSeen
from skill.turn.request import TurnRequest, ZoneUnknown

log = logging.getLogger("backcoach.zones")

def refreshed(request: TurnRequest, record: PersonRecord) -> tuple[PersonRecord, bool]:
    """`record` with its zone read again when it is missing, from another device or a day old, at most once per
    session; and whether a read was tried. A failed read keeps the last zone known (UTC when there is none) and
    is logged without ids."""
    session = request.session
    if session is None or not request.device or request.zone is None or session.zone_tried:
        return record, False
    if record.workout is None and not record.history and request.hello:
        # Someone new saying hello: their calendar has nothing to count yet, and the welcome should not wait
        # on a call it does not use. The next turn of the session reads the zone.
        return record, False
    seen = record.zone
    if seen.name and seen.device == request.device and 0 <= request.now_ms - seen.read_at_ms < request.zone_max_age_ms:
        return record, False
    try:
        zone = request.zone()
    except Exception as e:  # noqa: BLE001 - the day is still counted, on the last zone known
        why = str(e) if isinstance(e, ZoneUnknown) else type(e).__name__  # ZoneUnknown's words carry no ids
        log.warning("time zone not read why=%s counting_in=%s", why, record.local_zone)
        return record, True
    if not known_zone(zone):
        log.warning("time zone not read why=unknown zone counting_in=%s", record.local_zone)
        return record, True
    return replace(record, zone=ZoneSeen(zone, request.device, request.now_ms)), True
