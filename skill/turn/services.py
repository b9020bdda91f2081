"""What the turn finds out for the engine before it decides: live facts from outside the person's record."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from skill.engine import decide
from skill.engine.coach import Coach
from skill.engine.coaching import ADOPT
from skill.engine.commands import Cmd
from skill.engine.context import Services
from skill.engine.record import PersonRecord
from skill.engine.rest import Vitals, recovery_threshold
from skill.heartrate.pairing import issue_pairing
from skill.storage.stores import Stores
from skill.turn.request import TurnRequest

log = logging.getLogger("backcoach.turn")

HEART_RATE_WINDOW_MS = 60_000


def gather(coach: Coach, stores: Stores, upload_service: str, request: TurnRequest, record: PersonRecord,
           read_record: Callable[[str, str], PersonRecord], stored: PersonRecord | None = None) -> Services:
    """The services of this request: the heart rate when a decision may read it, a pairing code to speak, the
    shared profile when a recognised voice says yes to taking it over, the upload service and whether the
    person linked it, and an upload link that must be renewed (said once, on opening the skill; looked for when
    the `stored` record, before a fresh token was handed over, still had uploads on record)."""
    command = request.command
    services = Services(person=request.who.person, player=request.player)
    if command.name is Cmd.YES and record.coaching.offer is not None and record.coaching.offer.kind == ADOPT:
        services = replace(services, shared=_shared(request, read_record))
    if upload_service and command.name in decide.UPLOADING:
        services = replace(services, upload_service=upload_service, linked=bool(request.access_token))
    services = replace(services, relink=_relink_due(stores, request, stored or record))
    pairing, heart = stores.pairing, stores.samples
    if pairing is None or heart is None:
        return services
    try:
        if command.name is Cmd.PAIR:
            return replace(services, code=issue_pairing(pairing, request.who.person_key, request.now_ms // 1000))
        if decide.needs_heart_rate(coach, record, command, request.now_ms):
            samples = heart.recent_samples(request.who.person_key, request.now_ms - HEART_RATE_WINDOW_MS)
            threshold = recovery_threshold(record.settings.age, record.settings.recovery_bpm)
            return replace(services, vitals=Vitals(tuple(samples), threshold))
    except Exception as e:  # noqa: BLE001 - the wearable side is a nicety: the workout goes on without it
        log.error("wearable failed user=%s error=%s", request.who.log_key, type(e).__name__)
    return services


def _shared(request: TurnRequest, read_record: Callable[[str, str], PersonRecord]) -> PersonRecord | None:
    """The account's shared profile, read only when a recognised voice says yes to taking it over (once)."""
    try:
        return read_record(request.who.shared_key, "shared")
    except Exception as e:  # noqa: BLE001 - nothing is brought over; the person can still start fresh
        log.error("shared record read failed user=%s error=%s", request.who.log_key, type(e).__name__)
        return None


def _relink_due(stores: Stores, request: TurnRequest, record: PersonRecord) -> str:
    """The service whose link must be renewed: an upload failed for an account linked before its API moved
    (Fitbit to Google's Health API). Looked for only at the start of a session with uploads on record."""
    session = request.session
    if not (session is not None and session.new and record.settings.uploads_pending
            and request.command.name is Cmd.LAUNCH):
        return ""
    try:
        jobs = stores.uploads.uploads(request.who.person_key)
    except Exception as e:  # noqa: BLE001 - said at a later session instead
        log.error("upload jobs not read user=%s error=%s", request.who.log_key, type(e).__name__)
        return ""
    return next((job.service for job in jobs if job.relink_untold), "")


def hand_over_token(stores: Stores, upload_service: str, request: TurnRequest, record: PersonRecord) -> PersonRecord:
    """At the start of a session, hands the fresh access token the platform sent to the person's uploads still
    waiting (an old token may have expired); when none is left, the record stops asking."""
    session = request.session
    token = request.access_token
    if not (upload_service and session is not None and session.new and token and record.settings.uploads_pending):
        return record
    try:
        pending = stores.uploads.refresh_upload_token(  # due at once (the worker keeps its own clock)
            request.who.person_key, upload_service, token, due=0)
    except Exception as e:  # noqa: BLE001 - the worker keeps retrying with the token it has
        log.error("upload token refresh failed user=%s error=%s", request.who.log_key, type(e).__name__)
        return record
    return record if pending else replace(record, settings=replace(record.settings, uploads_pending=False))
