"""One turn: read the person's record once per session, apply the command, write once if anything changed.

Loading, applying and saving live together because a conflicting write (two Echos on one account) must be
answered from the fresh record: the command is applied again to what the other device saved.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from ask_sdk_core.handler_input import HandlerInput

from skill.alexa.requests import access_token, person_key, record_key, request_time_ms, user_key
from skill.engine.coach import Coach
from skill.engine.commands import Cmd, Command, Outcome
from skill.engine.history import with_entry
from skill.engine.rest import Vitals, recovery_threshold
from skill.engine.script import say
from skill.engine.state import FINISHED, WorkoutState
from skill.heartrate.pairing import issue_pairing
from skill.storage import StaleWriteError
from skill.storage.records import VERSION
from skill.storage.stores import Stores
from skill.storage.uploads import UploadJob

log = logging.getLogger("backcoach.storage")

RECORD = "record"  # session attribute: the person's stored record as last read or written
UNSAVED = "unsaved"  # session attribute: the record holds a change that could not be written yet
WORKOUT, HISTORY, SETTINGS, WEARABLE = "workout", "history", "settings", "wearable"
CONFLICT_RETRIES = 3
# Commands that may speak the workout, and so may need the heart rate for a rest.
PLAYING = {Cmd.START, Cmd.NEXT, Cmd.RESUME, Cmd.REPEAT, Cmd.PREVIOUS, Cmd.SKIP, Cmd.START_OVER, Cmd.LAUNCH}
HEART_RATE_WINDOW_MS = 60_000
# Commands that may finish a workout (and so offer its upload), or answer or ask for an upload.
UPLOADING = PLAYING | {Cmd.UPLOAD, Cmd.YES, Cmd.NO}
UPLOADS_PENDING = "uploads_pending"  # setting: some upload of this person's is not done yet


class TurnRunner:
    def __init__(self, coach: Coach, stores: Stores, upload_service: str = "") -> None:
        """`upload_service` is the service people link their account with (Alexa account linking)."""
        self.coach = coach
        self.stores = stores
        self.upload_service = upload_service

    def run(self, handler_input: HandlerInput, command: Command) -> Outcome:
        envelope = handler_input.request_envelope
        session = handler_input.attributes_manager.session_attributes if envelope.session is not None else None
        if session is not None:
            command = replace(command, new_session=bool(envelope.session.new))
        now = request_time_ms(handler_input)
        record = session.get(RECORD) if session else None
        unsaved = bool(session.get(UNSAVED)) if session else False
        if record is None:
            try:
                record = self._read(handler_input)
            except Exception as e:  # noqa: BLE001 - any storage fault: answer, keep nothing, write nothing
                log.error("read failed user=%s error=%s", user_key(handler_input), type(e).__name__)
                return self.coach.storage_unavailable()
        stored = record
        command = self._with_wearable(handler_input, command, record, now)
        command, record = self._with_uploads(handler_input, command, record)
        if command.name is Cmd.HISTORY:
            command = replace(command, history=tuple(record.get(HISTORY, [])))
        before = self._state(record, handler_input)
        outcome = self._queue_upload(handler_input, self.coach.handle(before, command, now))
        new_record = self._updated(record, outcome, command)
        if new_record != stored or unsaved:
            record = stored
            outcome, new_record, unsaved = self._save(handler_input, command, now, record, new_record, outcome)
        self._log_workouts(handler_input, before, record, new_record, outcome, now)
        if session is not None:
            session[RECORD] = new_record
            session[UNSAVED] = unsaved
        return outcome

    # -- reading and writing -------------------------------------------------------------------------

    def _read(self, handler_input: HandlerInput) -> dict[str, Any]:
        stored = self.stores.records.load(record_key(handler_input)) or {}
        history = stored.get(HISTORY)
        return {
            WORKOUT: stored.get(WORKOUT),
            HISTORY: history if isinstance(history, list) else [],
            SETTINGS: stored.get(SETTINGS) if isinstance(stored.get(SETTINGS), dict) else {},
            WEARABLE: stored.get(WEARABLE) if isinstance(stored.get(WEARABLE), dict) else {},
            VERSION: stored.get(VERSION) if isinstance(stored.get(VERSION), int) else 0,
        }

    def _state(self, record: dict[str, Any], handler_input: HandlerInput) -> WorkoutState | None:
        state = WorkoutState.from_dict(record.get(WORKOUT))
        if record.get(WORKOUT) is not None and state is None:
            log.warning("ignored malformed saved state user=%s", user_key(handler_input))
        return state

    def _updated(self, record: dict[str, Any], outcome: Outcome, command: Command) -> dict[str, Any]:
        state = outcome.state
        settings = dict(record.get(SETTINGS, {}))
        wearable = dict(record.get(WEARABLE, {}))
        if outcome.result == "recovery_set":
            settings["recovery_bpm"] = command.number
        elif outcome.result == "age_set":
            settings["age"] = command.number
        elif outcome.result == "pairing_code":
            wearable["paired"] = True
        elif outcome.result == "unpaired":
            wearable = {}
        elif outcome.result == "upload_queued":
            settings[UPLOADS_PENDING] = True
        return {
            WORKOUT: state.to_dict() if state is not None else None,
            HISTORY: with_entry(record.get(HISTORY, []), self.coach.history_entry(state)),
            SETTINGS: settings,
            WEARABLE: wearable,
            VERSION: record.get(VERSION, 0),
        }

    def _log_workouts(
        self, handler_input: HandlerInput, before: WorkoutState | None, record: dict[str, Any],
        new_record: dict[str, Any], outcome: Outcome, now: int,
    ) -> None:
        """Keeps the detailed log of a workout that just finished, or of one just abandoned for a new one."""
        logs = []
        after = outcome.state
        if (after is not None and len(new_record.get(HISTORY, [])) > len(record.get(HISTORY, []))) or (
            after is not None and new_record.get(HISTORY) != record.get(HISTORY)
        ):
            logs.append(self.coach.workout_log(after, "finished"))
        if (before is not None and before.phase != FINISHED and after is not None
                and after.started_at_ms != before.started_at_ms and self.coach.plan(before) is not None):
            logs.append(self.coach.workout_log(self.coach.settle(before, now), "abandoned"))
        for log_entry in filter(None, logs):
            try:
                self.stores.logs.save_log(person_key(handler_input), log_entry)
            except Exception as e:  # noqa: BLE001 - the summary is in the record; the detail can be lost
                log.error("workout log not saved user=%s error=%s", user_key(handler_input), type(e).__name__)

    def _with_wearable(
        self, handler_input: HandlerInput, command: Command, record: dict[str, Any], now: int
    ) -> Command:
        """Adds what the wearable side knows: a pairing code to speak, or the recent heart rate for rests."""
        pairing, heart = self.stores.pairing, self.stores.samples
        if pairing is None or heart is None:
            return command
        person = person_key(handler_input)
        try:
            if command.name is Cmd.PAIR:
                return replace(command, code=issue_pairing(pairing, person, now // 1000))
            if command.name is Cmd.UNPAIR:
                pairing.revoke(person)
            elif command.name in PLAYING and record.get(WEARABLE, {}).get("paired"):
                samples = heart.recent_samples(person, now - HEART_RATE_WINDOW_MS)
                settings = record.get(SETTINGS, {})
                threshold = recovery_threshold(settings.get("age"), settings.get("recovery_bpm"))
                return replace(command, vitals=Vitals(tuple(samples), threshold))
        except Exception as e:  # noqa: BLE001 - the wearable side is a nicety: the workout goes on without it
            log.error("wearable failed user=%s error=%s", user_key(handler_input), type(e).__name__)
        return command

    def _with_uploads(
        self, handler_input: HandlerInput, command: Command, record: dict[str, Any]
    ) -> tuple[Command, dict[str, Any]]:
        """Tells the engine whether uploads are set up and linked; at the start of a session, hands the fresh
        access token Alexa sent to the person's uploads still waiting (an old token may have expired)."""
        if not self.upload_service:
            return command, record
        token = access_token(handler_input)
        if command.name in UPLOADING:
            command = replace(command, upload_service=self.upload_service, linked=bool(token))
        settings = record.get(SETTINGS, {})
        if command.new_session and token and settings.get(UPLOADS_PENDING):
            try:
                pending = self.stores.uploads.refresh_upload_token(  # due at once (the worker keeps its own clock)
                    person_key(handler_input), self.upload_service, token, due=0)
            except Exception as e:  # noqa: BLE001 - the worker keeps retrying with the token it has
                log.error("upload token refresh failed user=%s error=%s", user_key(handler_input), type(e).__name__)
                return command, record
            if not pending:
                record = {**record, SETTINGS: {k: v for k, v in settings.items() if k != UPLOADS_PENDING}}
        return command, record

    def _queue_upload(self, handler_input: HandlerInput, outcome: Outcome) -> Outcome:
        """Queues the upload the engine agreed to; if it cannot be queued, says so and keeps the offer open."""
        if outcome.result != "upload_queued" or outcome.state is None:
            return outcome
        # Due at once (0): the request's clock and the worker's may differ.
        job = UploadJob(user=person_key(handler_input), service=self.upload_service,
                        started_at_ms=outcome.state.started_at_ms, next_try=0, token=access_token(handler_input))
        try:
            self.stores.uploads.add_upload(job)  # False: already queued, which is as good
        except Exception as e:  # noqa: BLE001
            log.error("upload not queued user=%s error=%s", user_key(handler_input), type(e).__name__)
            state = replace(outcome.state, upload="")
            return replace(outcome, result="upload_not_queued", state=state,
                           speech=(say("upload_not_queued", service=self.upload_service),))
        return outcome

    def _save(
        self, handler_input: HandlerInput, command: Command, now: int, record: dict[str, Any],
        new_record: dict[str, Any], outcome: Outcome,
    ) -> tuple[Outcome, dict[str, Any], bool]:
        """Write `new_record` over `record`; on a conflict, apply the command again to the fresh record.

        Returns the outcome to answer with, the record the session now carries and whether it is unsaved.
        """
        who = user_key(handler_input)
        tries_left = CONFLICT_RETRIES
        retried_failure = False
        while True:
            attempt = {**new_record, VERSION: record.get(VERSION, 0) + 1}
            try:
                self.stores.records.save(record_key(handler_input), attempt, attempt[VERSION])
                return outcome, attempt, False
            except StaleWriteError:
                tries_left -= 1
                log.info("write conflict user=%s retries_left=%d", who, tries_left)
                try:
                    if tries_left < 0:
                        raise
                    record = self._read(handler_input)
                except Exception as e:  # noqa: BLE001
                    log.error("conflict not resolved user=%s error=%s", who, type(e).__name__)
                    return self._unsaved(outcome), new_record, True
                outcome = self.coach.handle(self._state(record, handler_input), command, now)
                new_record = self._updated(record, outcome, command)
                if new_record == record:
                    return outcome, record, False
            except Exception as e:  # noqa: BLE001 - a throttle or an outage: the session keeps the change
                log.error("write failed user=%s error=%s", who, type(e).__name__)
                if outcome.end_session and not retried_failure:
                    retried_failure = True  # no later turn in this session will carry it: one more try now
                    continue
                return self._unsaved(outcome), new_record, True

    @staticmethod
    def _unsaved(outcome: Outcome) -> Outcome:
        """The outcome with a short notice at its end (at the end, so the response's timeline stays true)."""
        if not outcome.speech:
            return outcome
        return replace(outcome, speech=(*outcome.speech, say("save_failed")))
