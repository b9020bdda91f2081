"""The one turn, for every mode and every platform: read the person's record, decide, carry out the effects on
the world, write the new record once with the version condition, and on a conflict decide again from the fresh
record. Alexa's speech mode, its audio mode, screen touches and any other speaker all go through `Turn.run`.

One read per turn (the session carries no copy of the record: only a record whose write failed, to be written
next turn), at most one write, and only when something changed that must outlive the request (an outcome can say
it need not: the audio mode's next clip starting, which the following events rebuild from their clip).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from skill.engine import decide
from skill.engine.commands import Outcome
from skill.engine.context import Context, Services
from skill.engine.record import PersonRecord
from skill.engine.script import P, say
from skill.languages import Language, Languages
from skill.storage import StaleWriteError
from skill.storage.stores import Stores
from skill.turn import services as gathering
from skill.turn import world, zones
from skill.turn.request import TurnRequest, TurnResult

log = logging.getLogger("backcoach.storage")

CONFLICT_RETRIES = 3
UNSAVED = "unsaved"  # session attribute: a record whose write failed (with its version)
ZONE_TRIED = "zone_tried"  # session attribute: the device's zone was read (or tried) in this session


class Turn:
    """`upload_service` is the service people link their account with (Alexa account linking; "" for none)."""

    def __init__(self, languages: Languages, stores: Stores, upload_service: str = "") -> None:
        self.languages = languages
        self.stores = stores
        self.upload_service = upload_service

    def run(self, request: TurnRequest) -> TurnResult:
        language = self.languages.for_locale(request.locale)
        coach = language.coach
        carried = self._carried(request, language)
        unsaved = carried is not None
        if carried is None:
            try:
                record = self.read(request.who.record_key, "stored", language, request)
            except Exception as e:  # noqa: BLE001 - any storage fault: answer, keep nothing, write nothing
                log.error("read failed user=%s error=%s", request.who.log_key, type(e).__name__)
                return self._unavailable(request, language)
        else:
            record = carried
        record, zone_tried = zones.refreshed(request, record)  # before `stored`: never written just for it
        stored = record
        record = gathering.hand_over_token(self.stores, self.upload_service, request, record)
        services = gathering.gather(coach, self.stores, self.upload_service, request, record,
                                    lambda key, where: self.read(key, where, language, request), stored)
        outcome = self._decide(language, request, record, services)
        new = outcome.record or record
        if (new != stored and outcome.durable) or unsaved:
            outcome, new, unsaved = self._save(language, request, services, stored, outcome)
        return TurnResult(outcome, new, language.code, request.who, self._carry(request, new, unsaved, zone_tried))

    # -- reading --------------------------------------------------------------------------------------------

    def read(self, key: str, where: str, language: Language, request: TurnRequest) -> PersonRecord:
        """The record stored under `key`, held to the record's checks (what fails them is dropped, and logged)."""
        record, dropped = PersonRecord.from_dict(self.stores.records.load(key), language.content)
        if dropped:
            log.warning("ignored malformed parts of the %s record user=%s problems=%s", where, request.who.log_key,
                        ",".join(dropped))
        return record

    def _carried(self, request: TurnRequest, language: Language) -> PersonRecord | None:
        """A record the session carries because its write failed, held to the same checks as a stored one; one
        that fails them is dropped, and the stored copy is read instead."""
        data = request.session.unsaved if request.session is not None else None
        if data is None:
            return None
        record, dropped = PersonRecord.from_dict(data, language.content)
        if dropped:
            log.warning("dropped the session's copy of the record user=%s problems=%s", request.who.log_key,
                        ",".join(dropped))
            return None
        return record

    # -- deciding -------------------------------------------------------------------------------------------

    def _decide(self, language: Language, request: TurnRequest, record: PersonRecord,
                services: Services) -> Outcome:
        """The engine's outcome for `record`, with its effects on the world carried out."""
        coach = language.coach
        outcome = decide.handle(coach, record, request.command, services, request.now_ms)
        ctx = Context(record, request.command, services)
        done, replaced = world.carry_out(outcome, world.World(self.stores, request, coach, ctx))
        return decide.revised(coach, record, done, request.now_ms) if replaced else done

    def _unavailable(self, request: TurnRequest, language: Language) -> TurnResult:
        """What to say when the person's saved workout cannot be read: nothing is changed or written."""
        speech = () if decide.is_player_event(request.command) else (say(P.STORAGE_DOWN),)
        outcome = Outcome("storage_unavailable", None, speech, reprompt=(say(P.REPROMPT, at=None),) if speech else (),
                          end_session=not speech)
        return TurnResult(outcome, PersonRecord(), language.code, request.who, {})

    # -- writing --------------------------------------------------------------------------------------------

    def _save(self, language: Language, request: TurnRequest, services: Services, stored: PersonRecord,
              outcome: Outcome) -> tuple[Outcome, PersonRecord, bool]:
        """Write the outcome's record over `stored`; on a conflict, decide again on the fresh record.

        Returns the outcome to answer with, the record as it now stands and whether it is unsaved.
        """
        who = request.who
        tries_left = CONFLICT_RETRIES
        retried_failure = False
        new = outcome.record or stored
        while True:
            attempt = replace(new, version=stored.version + 1)
            try:
                self.stores.records.save(who.record_key, attempt.to_dict(), attempt.version)
                return outcome, attempt, False
            except StaleWriteError:
                tries_left -= 1
                log.info("write conflict user=%s retries_left=%d", who.log_key, tries_left)
                try:
                    if tries_left < 0:
                        raise
                    fresh = self.read(who.record_key, "stored", language, request)
                except Exception as e:  # noqa: BLE001
                    log.error("conflict not resolved user=%s error=%s", who.log_key, type(e).__name__)
                    return unsaved(outcome), new, True
                stored = replace(fresh, zone=new.zone)  # this device's zone, as read for this turn
                outcome = self._decide(language, request, stored, services)
                new = outcome.record or stored
                if new == stored:
                    return outcome, stored, False
            except Exception as e:  # noqa: BLE001 - a throttle or an outage: the session keeps the change
                log.error("write failed user=%s error=%s", who.log_key, type(e).__name__)
                if outcome.end_session and not retried_failure:
                    retried_failure = True  # no later turn in this session will carry it: one more try now
                    continue
                return unsaved(outcome), new, True

    @staticmethod
    def _carry(request: TurnRequest, record: PersonRecord, unsaved_record: bool, zone_tried: bool) -> dict[str, Any]:
        """What the session carries to the next turn: a record still to be written, and whether the zone was read."""
        if request.session is None:
            return {}
        carry: dict[str, Any] = {}
        if unsaved_record:
            carry[UNSAVED] = {**record.to_dict(), "version": record.version}
        if zone_tried or request.session.zone_tried:
            carry[ZONE_TRIED] = True
        return carry


def unsaved(outcome: Outcome) -> Outcome:
    """The outcome with a short notice at its end (at the end, so the response's timeline stays true)."""
    if not outcome.speech:
        return outcome
    return replace(outcome, speech=(*outcome.speech, say(P.SAVE_FAILED)))
