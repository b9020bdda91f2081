"""The self-hosted endpoint: the verification matrix on the Flask test client, then the real server process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.error import URLError

import pytest

from skill.storage.stores import Stores
from skill.web.app import MAX_BODY_BYTES, create_app
from tests.events import AMAZON_CERT_URL, SKILL_ID, event, now_event
from tests.integration.conftest import free_port, rows


@pytest.fixture
def secure(store):
    return create_app(store, SKILL_ID).test_client()


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The certificate fetch answers 'unreachable' without leaving the machine."""
    asked: list[str] = []

    def unreachable(url: str, *args: Any, **kwargs: Any) -> Any:
        asked.append(url)
        raise URLError("no route to host")

    monkeypatch.setattr("ask_sdk_webservice_support.verifier.urlopen", unreachable)
    monkeypatch.setattr("skill.web.verify.urlopen", unreachable)
    return asked


def post(client, body: Any, headers: dict[str, str] | None = None, content_type: str = "application/json"):
    data = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return client.post("/", data=data, headers=headers or {}, content_type=content_type)


def assert_refused(response, status: int, store: Stores) -> None:
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert set(body) == {"error"} and "Traceback" not in body["error"] and len(body["error"]) < 120
    assert rows(store) == 0  # nothing stored for a rejected request


SIGNED = {"SignatureCertChainUrl": AMAZON_CERT_URL, "Signature-256": "c2lnbmF0dXJl"}


@pytest.mark.parametrize(
    ("body", "headers", "content_type", "status"),
    [
        ("this is not json", SIGNED, "application/json", 400),
        ('{"request": ', SIGNED, "application/json", 400),
        ("[1, 2, 3]", SIGNED, "application/json", 400),
        (None, SIGNED, "text/plain", 415),
        (b"{" + b" " * (MAX_BODY_BYTES + 10) + b"}", SIGNED, "application/json", 413),
        (None, {}, "application/json", 400),  # no signature headers
        (None, {"Signature-256": "c2ln"}, "application/json", 400),
        (None, {**SIGNED, "SignatureCertChainUrl": "https://evil.example.com/echo.api/cert.pem"}, "application/json",
         400),
        (None, {**SIGNED, "SignatureCertChainUrl": "http://s3.amazonaws.com/echo.api/cert.pem"}, "application/json",
         400),
        (None, {**SIGNED, "SignatureCertChainUrl": "https://s3.amazonaws.com:8443/echo.api/cert.pem"},
         "application/json", 400),
    ],
)
def test_bad_requests_get_a_short_4xx_and_store_nothing(secure, store, no_network, body, headers, content_type,
                                                        status) -> None:
    response = post(secure, body if body is not None else now_event("launch"), headers, content_type)
    assert_refused(response, status, store)
    assert no_network == []  # refused before any certificate was fetched


def test_an_unfetchable_certificate_is_a_4xx_not_a_500(secure, store, no_network) -> None:
    response = post(secure, now_event("launch"), SIGNED)
    assert_refused(response, 400, store)
    assert no_network == [AMAZON_CERT_URL]


def test_a_request_for_another_skill_is_refused(store) -> None:
    client = create_app(store, SKILL_ID, verify_signature=False, verify_timestamp=False).test_client()
    other = now_event("launch")
    other["context"]["System"]["application"]["applicationId"] = "amzn1.ask.skill.someone-else"
    assert_refused(post(client, other), 400, store)


def test_an_expired_timestamp_is_refused(store) -> None:
    client = create_app(store, SKILL_ID, verify_signature=False, verify_timestamp=True).test_client()
    stale = event("start_workout", at=datetime.now(UTC).timestamp() - 600)
    assert_refused(post(client, stale), 400, store)
    fresh = post(client, now_event("start_workout"))
    assert fresh.status_code == 200 and rows(store) == 1


@pytest.mark.parametrize("envelope", [
    {"version": "1.0", "request": {"type": "LaunchRequest"}},  # no context, no session
    {"version": "1.0", "context": {"System": {"application": {"applicationId": SKILL_ID}}}, "request": {"type": 7}},
])
def test_malformed_envelopes_are_refused(store, envelope) -> None:
    client = create_app(store, SKILL_ID, verify_signature=False, verify_timestamp=False).test_client()
    assert_refused(post(client, envelope), 400, store)


def test_insecure_mode_answers_and_warns_at_start_and_every_minute(store, caplog, monkeypatch) -> None:
    caplog.set_level("WARNING", logger="backcoach.web")
    clock = [1000.0]
    monkeypatch.setattr("skill.web.app.time.monotonic", lambda: clock[0])
    client = create_app(store, "", verify_signature=False, verify_timestamp=False).test_client()
    response = post(client, event("start_workout"))
    assert response.status_code == 200
    assert "two rounds" in response.get_json()["response"]["outputSpeech"]["ssml"]
    post(client, event("help"))
    assert caplog.text.count("verification is OFF") == 1  # at start-up; the requests within the minute are quiet
    clock[0] += 61
    post(client, event("help"))
    post(client, event("help"))
    assert caplog.text.count("verification is OFF") == 2  # said again once the minute is up
    assert client.get("/healthz").get_json() == {"status": "ok"}


# -- the real server, as a process ---------------------------------------------------------------------


def backcoach() -> list[str]:
    script = Path(sys.executable).with_name("backcoach")
    return [str(script)] if script.exists() else [sys.executable, "-m", "skill.cli.main"]


def serve(tmp_path: Path, *flags: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("BACKCOACH_TABLE",)}
    process = subprocess.Popen(
        [*backcoach(), "serve", "--host", "127.0.0.1", "--port", str(port), "--db", str(tmp_path / "web.sqlite3"),
         *flags],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1) as answer:
                if answer.status == 200:
                    return process, url
        except OSError:
            if process.poll() is not None:
                raise AssertionError(process.stdout.read()) from None
            time.sleep(0.1)
    process.kill()
    raise AssertionError("the server did not come up")


def served_record(tmp_path: Path, user_id: str) -> dict[str, Any]:
    """The person's record as the served app's SQLite store holds it now."""
    from skill.storage.stores import sqlite_stores

    stores = sqlite_stores(tmp_path / "web.sqlite3")
    try:
        return stores.records.load(user_id) or {}
    finally:
        stores.close()


def http_post(url: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    request = urllib.request.Request(url + "/", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def stop(process: subprocess.Popen) -> str:
    process.terminate()
    try:
        out, _ = process.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
    return out


def test_a_conversation_over_http_with_the_real_server(tmp_path: Path) -> None:
    process, url = serve(tmp_path, "--insecure-skip-verification")
    try:
        t = 1_795_000_000.0
        status, started = http_post(url, event("start_workout", at=t, session_id="s1", new=True))
        assert status == 200 and "two rounds" in started["response"]["outputSpeech"]["ssml"]
        status, explained = http_post(url, event("explain_iyt", at=t + 20, session_id="s1", new=False,
                                                 attributes=started["sessionAttributes"]))
        assert status == 200 and "I Y T" in explained["response"]["outputSpeech"]["ssml"]
        status, moved = http_post(url, event("next", at=t + 25, session_id="s1", new=False,
                                             attributes=explained["sessionAttributes"]))
        assert status == 200 and "record" not in moved.get("sessionAttributes", {})
        user = event("next", at=t)["session"]["user"]["userId"]
        assert served_record(tmp_path, user)["workout"]["phase"] == "playing"
        status, resumed = http_post(url, event("launch", at=t + 900, session_id="s2", new=True))
        assert status == 200 and "Welcome back" in resumed["response"]["outputSpeech"]["ssml"]
    finally:
        out = stop(process)
    assert "verification is OFF" in out


def test_the_real_server_refuses_unsigned_requests(tmp_path: Path) -> None:
    process, url = serve(tmp_path, "--skill-id", SKILL_ID)
    try:
        status, body = http_post(url, now_event("launch"))
        assert status == 400 and body == {"error": "the request failed signature or timestamp verification"}
    finally:
        out = stop(process)
    assert "Traceback" not in out
