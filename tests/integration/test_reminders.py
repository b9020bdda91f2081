"""Workout reminders against a local stand-in of Alexa's Reminders API on 127.0.0.1, reached through the
apiEndpoint the request names, as on Alexa: create (recurrenceRules, never the deprecated fields), list, delete,
each documented error answered with nothing lost, and no reminder created without the person's yes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from skill.alexa.reminders_api import RemindersApi
from skill.bootstrap import build_app
from skill.cli.chat import Chat
from skill.cli.nlu import Nlu
from skill.content.schema import Content
from skill.engine.record import PersonRecord
from skill.storage.stores import Stores
from tests.conftest import START
from tests.loopback import serving

PATH = "/v1/alerts/reminders"


class StandIn:
    """What the stand-in holds and how it is to answer the next calls."""

    def __init__(self) -> None:
        self.reminders: dict[str, dict[str, Any]] = {}
        self.fail: tuple[int, str] | None = None  # (status, code) for every call while set
        self.calls: list[tuple[str, str]] = []
        self.next_id = 0


def _handler(state: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _answer(self, status: int, body: dict[str, Any] | None = None) -> None:
            data = json.dumps(body or {}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _refused(self) -> bool:
            state.calls.append((self.command, self.path))
            if not self.headers.get("Authorization", "").startswith("Bearer "):
                self._answer(401, {"code": "UNAUTHORIZED", "message": "no token"})
                return True
            if state.fail:
                status, code = state.fail
                self._answer(status, {"code": code, "message": code.lower()})
                return True
            return False

        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            if self._refused():
                return
            trigger = body.get("trigger", {})
            recurrence = trigger.get("recurrence", {})
            if self.path != PATH or trigger.get("type") != "SCHEDULED_ABSOLUTE" or not recurrence.get(
                    "recurrenceRules") or "freq" in recurrence or "byDay" in recurrence:
                self._answer(400, {"code": "INVALID_TRIGGER", "message": "bad trigger"})
                return
            state.next_id += 1
            token = f"alert-{state.next_id}"
            state.reminders[token] = body
            self._answer(201, {"alertToken": token, "createdTime": body["requestTime"], "status": "ON",
                               "version": "1", "href": f"{PATH}/{token}"})

        def do_GET(self) -> None:
            if not self.path.startswith(PATH):  # the settings API (the time zone): no zone set on this device
                self.send_response(204)
                self.end_headers()
                return
            if self._refused():
                return
            alerts = [{"alertToken": t, **b} for t, b in state.reminders.items()]
            self._answer(200, {"totalCount": str(len(alerts)), "alerts": alerts, "links": None})

        def do_DELETE(self) -> None:
            if self._refused():
                return
            token = self.path.rsplit("/", 1)[-1]
            if state.reminders.pop(token, None) is None:
                self._answer(404, {"code": "NOT_FOUND", "message": "no such reminder"})
                return
            self._answer(200)

    return Handler


@pytest.fixture
def reminders_api() -> Iterator[tuple[StandIn, str]]:
    state = StandIn()
    with serving(_handler(state)) as url:
        yield state, url


@pytest.fixture
def alexa(reminders_api: tuple[StandIn, str], store: Stores, content: Content, nlu: Nlu) -> Chat:
    return Chat(build_app(store, content), nlu, content, start_at=START, api_endpoint=reminders_api[1])


def _record(store: Stores) -> PersonRecord:
    record, _ = PersonRecord.from_dict(store.records.load("amzn1.ask.account.local-user"), None)  # type: ignore[arg-type]
    return record


def test_create_list_and_delete_through_the_request_api_endpoint(reminders_api: tuple[StandIn, str],
                                                                    alexa: Chat, store: Stores) -> None:
    state, endpoint = reminders_api
    offer = alexa.say("ask back coach to remind me to work out on weekdays at seven")
    assert "every weekday at seven a.m." in offer.text and not state.calls  # asked first: nothing created yet
    assert "I'll remind you every weekday at seven a.m." in alexa.say("yes").text
    (token, body), = state.reminders.items()
    assert body["trigger"]["recurrence"]["recurrenceRules"] == [
        "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR;BYHOUR=7;BYMINUTE=0;BYSECOND=0;INTERVAL=1"]
    assert _record(store).coaching.reminders == (token,)
    assert RemindersApi(endpoint, "token").list() == [token]
    assert "turned off" in alexa.say("ask back coach to stop reminding me").text
    assert not state.reminders and _record(store).coaching.reminders == ()
    assert "don't have any" in alexa.say("ask back coach to stop reminding me").text


def test_no_reminder_without_a_yes(reminders_api: tuple[StandIn, str], alexa: Chat) -> None:
    state, _ = reminders_api
    alexa.say("ask back coach to remind me to work out at six thirty pm")
    assert "no reminder" in alexa.say("no").text
    alexa.say("ask back coach to remind me to work out every day at seven")
    alexa.say("how am I doing this week")  # moving on closes the question
    alexa.say("yes")
    assert not state.reminders and not [c for c in state.calls if c[0] == "POST"]


@pytest.mark.parametrize(("status", "code", "said"), [
    (401, "UNAUTHORIZED", "I need your permission"),
    (403, "FORBIDDEN", "I need your permission"),
    (403, "MAX_REMINDERS_EXCEEDED", "as many reminders as Alexa allows"),
    (429, "TOO_MANY_REQUESTS", "busy right now"),
    (500, "INTERNAL_SERVER_ERROR", "can't reach Alexa's reminders"),
    (503, "SERVICE_UNAVAILABLE", "can't reach Alexa's reminders"),
])
def test_each_documented_error_is_answered_and_loses_nothing(reminders_api: tuple[StandIn, str], alexa: Chat,
                                                             store: Stores, status: int, code: str,
                                                             said: str) -> None:
    state, _ = reminders_api
    alexa.say("ask back coach to remind me to work out on weekdays at seven")
    alexa.say("yes")
    kept = _record(store).coaching.reminders
    state.fail = (status, code)
    alexa.say("ask back coach to remind me to work out every day at eight")
    answer = alexa.say("yes")
    assert said in answer.text
    assert _record(store).coaching.reminders == kept and len(state.reminders) == 1  # the old one still stands
    if status in (401, 403) and "MAX" not in code:
        assert answer.response["response"]["card"] == {
            "type": "AskForPermissionsConsent", "permissions": ["alexa::alerts:reminders:skill:readwrite"]}
        alexa.say("ask back coach to remind me to work out every day at eight")
        again = alexa.say("yes").text
        assert "still need your permission" in again and "open it, allow reminders" not in again  # told how once
    alexa.say("ask back coach to stop reminding me")
    assert len(state.reminders) == 1 and _record(store).coaching.reminders == kept  # a failed delete keeps it
    state.fail = None
    alexa.say("ask back coach to stop reminding me")
    assert not state.reminders


def test_the_service_unreachable_is_answered(store: Stores, content: Content, nlu: Nlu) -> None:
    chat = Chat(build_app(store, content), nlu, content, start_at=START)  # the local Echo: no Alexa APIs
    chat.say("ask back coach to remind me to work out at seven")
    assert "can't reach Alexa's reminders" in chat.say("yes").text
