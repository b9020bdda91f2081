"""Issue 19, time zones: the device's zone from a local stand-in of Alexa's settings API on 127.0.0.1, reached
through the apiEndpoint the request names, as on Alexa. A workout at 23:30 on a Sunday in Los Angeles (07:30 on
Monday in UTC) counts on that Sunday: in the history entry, "today" and "yesterday", and in that week's figure.
The zone is read at most once a session, kept in the record with a hash of the device (never the id), never
written on its own, and a failed read counts on the last zone known."""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from skill.activity.uploaders import exercise_data_point
from skill.bootstrap import build_app
from skill.cli.chat import Chat
from skill.cli.nlu import Nlu
from skill.content.schema import Content
from skill.engine.record import PersonRecord
from skill.storage.stores import Stores
from tests.loopback import serving

LA = "America/Los_Angeles"
USER = "amzn1.ask.account.local-user"
DEVICE = "amzn1.ask.device.local-echo"
SUNDAY_2330 = datetime(2026, 11, 22, 23, 30, tzinfo=ZoneInfo(LA)).timestamp()  # Monday 07:30 in UTC
ZONE_PATH = f"/v2/devices/{DEVICE}/settings/System.timeZone"


class Settings:
    """What the stand-in answers: the device's zone (a JSON string, as documented), or a failure status."""

    def __init__(self) -> None:
        self.zone = LA
        self.status = 200
        self.calls: list[str] = []


@pytest.fixture
def settings_api() -> Iterator[tuple[Settings, str]]:
    state = Settings()

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            state.calls.append(self.path)
            authorised = self.headers.get("Authorization", "").startswith("Bearer ")
            status = state.status if authorised else 401
            if self.path != ZONE_PATH:
                status = 404
            data = json.dumps(state.zone).encode() if status == 200 else b'{"code": "ERROR", "message": "no"}'
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    with serving(Handler) as url:
        yield state, url


def _chat(store: Stores, content: Content, nlu: Nlu, endpoint: str, at: float = SUNDAY_2330) -> Chat:
    return Chat(build_app(store, content), nlu, content, start_at=at, api_endpoint=endpoint)


def _workout(chat: Chat) -> None:
    chat.say("ask back coach to start my back workout")
    for _ in range(40):
        reply = chat.say("next")
        if reply.ends_session:
            return
    raise AssertionError("the workout did not end")


def _record(store: Stores) -> PersonRecord:
    record, _ = PersonRecord.from_dict(store.records.load(USER), None)  # type: ignore[arg-type]
    return record


def _at(chat: Chat, when: datetime) -> None:
    """A new session at `when`."""
    chat.end_session()
    chat.wait(max(0.0, when.timestamp() - chat._when(None)))


def test_a_sunday_night_workout_in_los_angeles_counts_on_that_sunday(
        settings_api: tuple[Settings, str], store: Stores, content: Content, nlu: Nlu) -> None:
    state, endpoint = settings_api
    chat = _chat(store, content, nlu, endpoint)
    _workout(chat)
    assert "workout one of five this week" in chat.history[-1].text
    done = _record(store).history[-1]
    assert datetime.fromtimestamp(done.finished_at_ms / 1000, tz=UTC).date().isoformat() == "2026-11-23"  # Monday
    assert done.date == "2026-11-22"  # in UTC it is Monday already; where they are it is Sunday evening
    text = chat.say("ask back coach what did I do last time").text
    assert "You've done one workout this week" in text and "Last time, today," in text
    assert "One of five this week" in chat.say("ask back coach how am I doing this week").text
    # Monday morning in Los Angeles: a new week, and Sunday's workout was yesterday.
    _at(chat, datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo(LA)))
    text = chat.say("ask back coach what did I do last time").text
    assert "You've done zero workouts this week" in text and "Last time, yesterday," in text
    assert "Nothing yet this week" in chat.say("ask back coach how am I doing this week").text
    # One read: the workout's write kept the zone, so the next session (within a day, same device) needs none.
    assert state.calls == [ZONE_PATH]
    record = _record(store)
    assert record.zone.name == LA and record.zone.device
    assert DEVICE not in json.dumps(store.records.load(USER))  # a hash of the device, never its id


def test_the_workout_log_keeps_the_zone_and_the_upload_gives_its_offset(
        settings_api: tuple[Settings, str], store: Stores, content: Content, nlu: Nlu) -> None:
    chat = _chat(store, content, nlu, settings_api[1])
    _workout(chat)
    started = _record(store).history[-1].started_at_ms
    log = store.logs.log(hashlib.sha256(USER.encode()).hexdigest(), started)
    assert log is not None and log["zone"] == LA
    interval = exercise_data_point(log, [])["exercise"]["interval"]
    assert interval["startUtcOffset"] == interval["endUtcOffset"] == "-28800s"  # Pacific Standard Time
    assert interval["startTime"].endswith("Z")  # the times themselves stay UTC


def test_a_zone_alone_is_never_written(settings_api: tuple[Settings, str], store: Stores, content: Content,
                                       nlu: Nlu) -> None:
    state, endpoint = settings_api
    chat = _chat(store, content, nlu, endpoint)
    assert not chat.say("open back coach").ends_session
    assert state.calls == []  # someone new saying hello: the welcome does not wait on the settings API
    chat.say("what did I do last time")
    chat.say("how am I doing this week")
    assert state.calls == [ZONE_PATH]  # once for the session
    assert store.records.load(USER) is None  # nothing else changed: no write for the zone
    _at(chat, datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo(LA)))
    chat.say("ask back coach what did I do last time")
    assert state.calls == [ZONE_PATH] * 2  # not kept, so read again: still once a session


def test_a_failed_read_counts_on_the_last_zone_known_then_utc(
        settings_api: tuple[Settings, str], store: Stores, content: Content, nlu: Nlu,
        caplog: pytest.LogCaptureFixture) -> None:
    state, endpoint = settings_api
    chat = _chat(store, content, nlu, endpoint)
    _workout(chat)  # Sunday 23:30 in Los Angeles: the zone is read and kept
    state.status = 500
    _at(chat, datetime(2026, 11, 24, 23, 30, tzinfo=ZoneInfo(LA)))  # two days on: the zone is read again, and fails
    with caplog.at_level(logging.WARNING, logger="backcoach.zones"):
        text = chat.say("ask back coach what did I do last time").text
    assert "Last time, two days ago," in text  # Sunday to Tuesday where they are (in UTC it would be one day)
    warnings = [r.getMessage() for r in caplog.records if r.name == "backcoach.zones"]
    assert warnings == ["time zone not read why=status 500 counting_in=America/Los_Angeles"]
    assert not any("local-echo" in w or "local-user" in w for w in warnings)
    # Someone new whose zone cannot be read counts in UTC.
    fresh = Chat(build_app(store, content), nlu, content, start_at=SUNDAY_2330, api_endpoint=endpoint,
                 user="someone-else")
    _workout(fresh)
    record, _ = PersonRecord.from_dict(store.records.load("amzn1.ask.account.someone-else"), content)
    assert record.zone.name == "" and record.history[-1].date == "2026-11-23"

