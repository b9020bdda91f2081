"""One turn: read the person's record once per session, apply the command, apply its effects, write once.

Loading, applying and saving live together because a conflicting write (two Echos on one account) must be
answered from the fresh record: the command is applied again to what the other device saved.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from ask_sdk_core.handler_input import HandlerInput

from skill.alexa.requests import (
    access_token,
    alexa_api,
    person_id,
    person_key,
    record_key,
    request_time_ms,
    shared_record_key,
    user_key,
)
from skill.alexa.zones import Zones
from skill.engine.bookkeeping import recorded
from skill.engine.calendar import DEFAULT_ZONE
from skill.engine.coach import Coach
from skill.engine.coaching import ADOPT
from skill.engine.commands import Cmd, Command, Outcome
from skill.engine.effects import (
    RelinkTold,
    RemindersCancelled,
    RemindersRequested,
    Unpaired,
    UploadRequested,
    WorkoutAbandoned,
    WorkoutFinished,
)
from skill.engine.record import ABANDONED, FINISHED, PersonRecord
from skill.engine.rest import Vitals, recovery_threshold
from skill.engine.script import say
from skill.heartrate.pairing import issue_pairing
from skill.storage import StaleWriteError
from skill.storage.stores import Stores
from skill.storage.uploads import UploadJob

log = logging.getLogger("backcoach.storage")

RECORD = "record"  # session attribute: the person's stored record as last read or written
UNSAVED = "unsaved"  # session attribute: the record holds a change that could not be written yet
CONFLICT_RETRIES = 3
# Commands that may speak the workout, and so may need the heart rate for a rest.
PLAYING = {Cmd.START, Cmd.NEXT, Cmd.RESUME, Cmd.REPEAT, Cmd.PREVIOUS, Cmd.SKIP, Cmd.START_OVER, Cmd.LAUNCH}
HEART_RATE_WINDOW_MS = 60_000
# Commands that may finish a workout (and so offer its upload), or answer or ask for an upload.
UPLOADING = PLAYING | {Cmd.UPLOAD, Cmd.YES, Cmd.NO}


class TurnRunner:
    def __init__(self, coach: Coach, stores: Stores, upload_service: str = "", zones: Zones | None = None) -> None:
        """`upload_service` is the service people link their account with (Alexa account linking); `zones`:
        where the person's time zone comes from (Alexa's settings API unless told otherwise)."""
        self.coach = coach
        self.stores = stores
        self.upload_service = upload_service
        self.zones = zones or Zones()

    def run(self, handler_input: HandlerInput, command: Command) -> Outcome:
        envelope = handler_input.request_envelope
        session = handler_input.attributes_manager.session_attributes if envelope.session is not None else None
        if session is not None:
            command = replace(command, new_session=bool(envelope.session.new))
        now = request_time_ms(handler_input)
        unsaved = bool(session.get(UNSAVED)) if session else False
        record = self._from_session(handler_input, session.get(RECORD) if session else None)
        if record is None:
            unsaved = False  # nothing trustworthy is carried: what is stored wins
            try:
                record = self._read(handler_input)
            except Exception as e:  # noqa: BLE001 - any storage fault: answer, keep nothing, write nothing
                log.error("read failed user=%s error=%s", user_key(handler_input), type(e).__name__)
                return self.coach.storage_unavailable()
        record = self.zones.refreshed(handler_input, record, now)  # before `stored`: never written just for it
        stored = record
        relink = self._relink_due(handler_input, command, record)
        record = self._hand_over_token(handler_input, command, record)
        command = replace(self._with_context(handler_input, command, record, now), relink=relink)
        outcome = self._apply(handler_input, command, self.coach.handle(record.workout, command, now))
        new_record = recorded(self.coach, record, outcome, now)
        if new_record != stored or unsaved:
            outcome, new_record, unsaved = self._save(handler_input, command, now, stored, new_record, outcome)
        if session is not None:
            session[RECORD] = {**new_record.to_dict(), "version": new_record.version}
            session[UNSAVED] = unsaved
        return outcome

    # -- reading ------------------------------------------------------------------------------------------

    def _read(self, handler_input: HandlerInput) -> PersonRecord:
        return self._checked(handler_input, self.stores.records.load(record_key(handler_input)), "stored")

    def _from_session(self, handler_input: HandlerInput, data: object) -> PersonRecord | None:
        """The record the session carries, held to the same checks as a stored one; one that fails them is
        dropped, and the stored copy is read instead."""
        if data is None:
            return None
        record, dropped = PersonRecord.from_dict(data, self.coach.content)
        if dropped:
            log.warning("dropped the session's copy of the record user=%s problems=%s", user_key(handler_input),
                        ",".join(dropped))
            return None
        return record

    def _checked(self, handler_input: HandlerInput, data: object, where: str) -> PersonRecord:
        record, dropped = PersonRecord.from_dict(data, self.coach.content)
        if dropped:
            log.warning("ignored malformed parts of the %s record user=%s problems=%s", where,
                        user_key(handler_input), ",".join(dropped))
        return record

    # -- what the engine needs to know ----------------------------------------------------------------------

    def _with_context(self, handler_input: HandlerInput, command: Command, record: PersonRecord, now: int) -> Command:
        """Adds what the record says, a pairing code to speak, the recent heart rate for rests, whose voice it is,
        and the upload service."""
        command = replace(self._from_record(command, record), person=bool(person_id(handler_input)))
        offer = record.coaching.offer
        if command.name is Cmd.YES and offer is not None and offer.kind == ADOPT:
            command = replace(command, shared=self._shared(handler_input))
        if self.upload_service and command.name in UPLOADING:
            command = replace(command, upload_service=self.upload_service, linked=bool(access_token(handler_input)))
        return self._from_services(handler_input, command, record, now)

    @staticmethod
    def _from_record(command: Command, record: PersonRecord) -> Command:
        """What the person's record tells the engine: their zone, tempo, lessons taught, equipment, history."""
        return replace(
            command, zone=record.local_zone, tempo=record.settings.tempo, taught=record.taught,
            first_ever=not record.history, known_equipment=record.settings.equipment,
            equipment_asked=record.settings.equipment_asked, history=record.history, coaching=record.coaching,
        )

    def _from_services(self, handler_input: HandlerInput, command: Command, record: PersonRecord, now: int) -> Command:
        pairing, heart = self.stores.pairing, self.stores.samples
        if pairing is None or heart is None:
            return command
        person = person_key(handler_input)
        try:
            if command.name is Cmd.PAIR:
                return replace(command, code=issue_pairing(pairing, person, now // 1000))
            if command.name in PLAYING and record.paired:
                samples = heart.recent_samples(person, now - HEART_RATE_WINDOW_MS)
                threshold = recovery_threshold(record.settings.age, record.settings.recovery_bpm)
                return replace(command, vitals=Vitals(tuple(samples), threshold))
        except Exception as e:  # noqa: BLE001 - the wearable side is a nicety: the workout goes on without it
            log.error("wearable failed user=%s error=%s", user_key(handler_input), type(e).__name__)
        return command

    def _shared(self, handler_input: HandlerInput) -> PersonRecord | None:
        """The account's shared profile, read only when a recognised voice says yes to taking it over (once)."""
        try:
            return self._checked(handler_input, self.stores.records.load(shared_record_key(handler_input)), "shared")
        except Exception as e:  # noqa: BLE001 - nothing is brought over; the person can still start fresh
            log.error("shared record read failed user=%s error=%s", user_key(handler_input), type(e).__name__)
            return None

    def _relink_due(self, handler_input: HandlerInput, command: Command, record: PersonRecord) -> str:
        """The service whose link must be renewed: an upload failed for an account linked before its API moved
        (Fitbit to Google's Health API). Looked for only at the start of a session with uploads on record."""
        if not (command.new_session and record.settings.uploads_pending and command.name is Cmd.LAUNCH):
            return ""
        from skill.activity.worker import needs_relink

        try:
            jobs = self.stores.uploads.uploads(person_key(handler_input))
        except Exception as e:  # noqa: BLE001 - said at a later session instead
            log.error("upload jobs not read user=%s error=%s", user_key(handler_input), type(e).__name__)
            return ""
        return next((job.service for job in jobs if needs_relink(job)), "")

    def _hand_over_token(self, handler_input: HandlerInput, command: Command, record: PersonRecord) -> PersonRecord:
        """At the start of a session, hands the fresh access token Alexa sent to the person's uploads still
        waiting (an old token may have expired); when none is left, the record stops asking."""
        token = access_token(handler_input)
        if not (self.upload_service and command.new_session and token and record.settings.uploads_pending):
            return record
        try:
            pending = self.stores.uploads.refresh_upload_token(  # due at once (the worker keeps its own clock)
                person_key(handler_input), self.upload_service, token, due=0)
        except Exception as e:  # noqa: BLE001 - the worker keeps retrying with the token it has
            log.error("upload token refresh failed user=%s error=%s", user_key(handler_input), type(e).__name__)
            return record
        return record if pending else replace(record, settings=replace(record.settings, uploads_pending=False))

    # -- effects on the world -----------------------------------------------------------------------------

    def _apply(self, handler_input: HandlerInput, command: Command, outcome: Outcome) -> Outcome:
        """Carries out what the outcome says happened: workout logs, the upload job, revoked tokens. Each may
        fail without losing the person's place; only an upload that cannot be queued changes the answer."""
        person = person_key(handler_input)
        for effect in outcome.effects:
            if isinstance(effect, RemindersRequested | RemindersCancelled):
                return self._reminders(handler_input, command, outcome, effect)
        for effect in outcome.effects:
            try:
                if isinstance(effect, WorkoutFinished | WorkoutAbandoned):
                    self._log_workout(person, effect, command.coaching.steps, command.zone)
                elif isinstance(effect, RelinkTold):
                    from skill.activity.worker import told_relink

                    for job in self.stores.uploads.uploads(person):
                        told = told_relink(job)
                        if told is not None:  # said once: the job keeps its reason, marked as told
                            self.stores.uploads.save_upload(told)
                elif isinstance(effect, Unpaired) and self.stores.pairing is not None:
                    self.stores.pairing.revoke(person)
                elif isinstance(effect, UploadRequested):
                    # Due at once (0): the request's clock and the worker's may differ.
                    self.stores.uploads.add_upload(UploadJob(  # False: already queued, which is as good
                        user=person, service=effect.service, started_at_ms=effect.started_at_ms, next_try=0,
                        token=access_token(handler_input)))
            except Exception as e:  # noqa: BLE001 - logged; the record is still saved
                log.error("%s not carried out user=%s error=%s", type(effect).__name__, user_key(handler_input),
                          type(e).__name__)
                if isinstance(effect, UploadRequested):
                    before = replace(outcome.state, upload="") if outcome.state is not None else None
                    return self.coach.upload_not_queued(before, command)
        return outcome

    def _reminders(self, handler_input: HandlerInput, command: Command, outcome: Outcome,
                   effect: RemindersRequested | RemindersCancelled) -> Outcome:
        """Creates or deletes the person's workout reminders with Alexa's Reminders API; what happened comes
        back as the engine's outcome. New reminders are created before old ones go, so a failure loses none."""
        from skill.alexa.reminders_api import RemindersApi, RemindersError, reminder_body
        from skill.speech.prompts import REMINDER_TEXT

        kept = command.coaching.reminders
        try:
            api = RemindersApi(*alexa_api(handler_input))
            if isinstance(effect, RemindersCancelled):
                for token in effect.tokens:
                    api.delete(token)
                return self.coach.reminders_saved(outcome, (), "", 0)
            body = reminder_body(effect.days, effect.minute, REMINDER_TEXT,
                                 handler_input.request_envelope.request.locale or "en-US",
                                 request_time_ms(handler_input), command.zone)
            created = api.create(body)
            for token in effect.replacing:
                try:
                    api.delete(token)
                except RemindersError:
                    log.warning("old reminder not deleted user=%s", user_key(handler_input))
            return self.coach.reminders_saved(outcome, (created,), effect.days, effect.minute)
        except RemindersError as e:
            log.error("reminders failed user=%s why=%s", user_key(handler_input), e)
            return self.coach.reminders_failed(outcome.state, command, e.failure, kept)

    def _log_workout(self, person: str, effect: WorkoutFinished | WorkoutAbandoned,
                     steps: dict[str, str] | None = None, zone: str = DEFAULT_ZONE) -> None:
        from skill.activity.log import build_log  # here: only a finished or abandoned workout needs it

        plan = self.coach.plan(effect.state)
        status = FINISHED if isinstance(effect, WorkoutFinished) else ABANDONED
        workout_log = build_log(plan, effect.state, status, steps, zone) if plan is not None else None
        if workout_log is None:
            return
        if status == ABANDONED:
            kept = self.stores.logs.log(person, workout_log.started_at_ms)
            if kept is not None and kept.get("status") == FINISHED:
                return  # a finished workout is never relabelled abandoned
        self.stores.logs.save_log(person, workout_log.to_dict())

    # -- writing ------------------------------------------------------------------------------------------

    def _save(
        self, handler_input: HandlerInput, command: Command, now: int, record: PersonRecord,
        new_record: PersonRecord, outcome: Outcome,
    ) -> tuple[Outcome, PersonRecord, bool]:
        """Write `new_record` over `record`; on a conflict, apply the command again to the fresh record.

        Returns the outcome to answer with, the record the session now carries and whether it is unsaved.
        """
        who = user_key(handler_input)
        key = record_key(handler_input)
        tries_left = CONFLICT_RETRIES
        retried_failure = False
        while True:
            attempt = replace(new_record, version=record.version + 1)
            try:
                self.stores.records.save(key, attempt.to_dict(), attempt.version)
                return outcome, attempt, False
            except StaleWriteError:
                tries_left -= 1
                log.info("write conflict user=%s retries_left=%d", who, tries_left)
                try:
                    if tries_left < 0:
                        raise
                    record = replace(self._read(handler_input), zone=new_record.zone)  # this device's zone
                except Exception as e:  # noqa: BLE001
                    log.error("conflict not resolved user=%s error=%s", who, type(e).__name__)
                    return unsaved(outcome), new_record, True
                command = self._from_record(command, record)  # the fresh record's tempo, week, lessons
                outcome = self._apply(handler_input, command, self.coach.handle(record.workout, command, now))
                new_record = recorded(self.coach, record, outcome, now)
                if new_record == record:
                    return outcome, record, False
            except Exception as e:  # noqa: BLE001 - a throttle or an outage: the session keeps the change
                log.error("write failed user=%s error=%s", who, type(e).__name__)
                if outcome.end_session and not retried_failure:
                    retried_failure = True  # no later turn in this session will carry it: one more try now
                    continue
                return unsaved(outcome), new_record, True


def unsaved(outcome: Outcome) -> Outcome:
    """The outcome with a short notice at its end (at the end, so the response's timeline stays true)."""
    if not outcome.speech:
        return outcome
    return replace(outcome, speech=(*outcome.speech, say("save_failed")))
