"""One AudioPlayer turn: at most one read and one write of the person's record, versioned like every turn.

AudioPlayer requests carry no session, so each one reads the record once (an intent with a session uses the
copy the session carries). The engine decides; the record is written only when it changed (a clip that
starts a new step, a stop, the end of the workout), with the same conditional write as `TurnRunner`, and on a
conflict the decision is made again from the fresh record.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace

from ask_sdk_core.handler_input import HandlerInput

from skill.alexa.requests import record_key, request_time_ms, user_key
from skill.alexa.turns import CONFLICT_RETRIES, RECORD, UNSAVED, TurnRunner
from skill.engine.bookkeeping import recorded
from skill.engine.record import PersonRecord
from skill.engine.stream import Streamed
from skill.storage import StaleWriteError

log = logging.getLogger("backcoach.stream")

Decide = Callable[[PersonRecord], Streamed]


class StreamTurn:
    def __init__(self, turns: TurnRunner) -> None:
        self.turns = turns
        self.coach = turns.coach

    def load(self, handler_input: HandlerInput) -> PersonRecord | None:
        """The person's record: the session's copy when there is one, else one read; None when storage fails.
        With a session, its time zone is read when due (at most once a session, see zones.py)."""
        envelope = handler_input.request_envelope
        session = handler_input.attributes_manager.session_attributes if envelope.session is not None else None
        record = None
        if session and session.get(RECORD) is not None and not envelope.session.new:
            record = self.turns._from_session(handler_input, session.get(RECORD))
        if record is None:
            try:
                record = self.turns._read(handler_input)
            except Exception as e:  # noqa: BLE001 - any storage fault: the event is answered with nothing
                log.error("read failed user=%s error=%s", user_key(handler_input), type(e).__name__)
                return None
        return self.turns.zones.refreshed(handler_input, record, request_time_ms(handler_input))

    def keep_in_session(self, handler_input: HandlerInput, record: PersonRecord) -> None:
        """Hands the record read here to the speech-mode turn of this request, so it is not read twice."""
        if handler_input.request_envelope.session is not None:
            session = handler_input.attributes_manager.session_attributes
            session[RECORD] = {**record.to_dict(), "version": record.version}

    def run(self, handler_input: HandlerInput, record: PersonRecord, decide: Decide, now_ms: int) -> Streamed:
        """Decide from `record`; write once when the record changed; on a conflict, decide again."""
        key = record_key(handler_input)
        streamed = decide(record)
        for _ in range(CONFLICT_RETRIES + 1):
            command = replace(_no_command(), zone=record.local_zone)  # the workout log's zone
            streamed = replace(streamed, outcome=self.turns._apply(handler_input, command, streamed.outcome))
            new_record = recorded(self.coach, record, streamed.outcome, now_ms)
            if new_record == record:
                self._remember(handler_input, record)
                return streamed
            attempt = replace(new_record, version=record.version + 1)
            try:
                self.turns.stores.records.save(key, attempt.to_dict(), attempt.version)
                self._remember(handler_input, attempt)
                return streamed
            except StaleWriteError:
                log.info("write conflict user=%s", user_key(handler_input))
                try:
                    record = replace(self.turns._read(handler_input), zone=record.zone)  # this device's zone
                except Exception as e:  # noqa: BLE001
                    log.error("conflict not resolved user=%s error=%s", user_key(handler_input), type(e).__name__)
                    return streamed
                streamed = decide(record)
            except Exception as e:  # noqa: BLE001 - a throttle or an outage: the stream plays on regardless
                log.error("write failed user=%s error=%s", user_key(handler_input), type(e).__name__)
                return streamed
        return streamed

    def _remember(self, handler_input: HandlerInput, record: PersonRecord) -> None:
        if handler_input.request_envelope.session is not None:
            session = handler_input.attributes_manager.session_attributes
            session[RECORD] = {**record.to_dict(), "version": record.version}
            session[UNSAVED] = False


def _no_command():
    from skill.engine.commands import Cmd, Command

    return Command(Cmd.NEXT)  # effects of the stream never include an upload, the one effect that reads it
