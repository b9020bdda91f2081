"""The wearable sync API: pairing, tokens, validation and limits (Flask test client), and the same rules on
Lambda with DynamoDB (moto's server on loopback)."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import time
from pathlib import Path
from typing import Any

import pytest
from boto3.dynamodb.conditions import Key
from flask import Flask

from skill.cli import envelopes
from skill.companion.stream import Companion, open_mhealth
from skill.engine.rest import Vitals, decide_rest
from skill.heartrate.pairing import PAIRING_TTL_S, digest, issue_pairing
from skill.heartrate.service import MAX_SAMPLES_PER_BATCH, RateLimiter, SyncService
from skill.web.sync import sync_blueprint
from tests.integration.conftest import FakeLambdaContext, LambdaEcho, load_lambda_app

PERSON = "f" * 64  # a hashed Alexa user id


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def client(store, clock):
    app = Flask("sync-test")
    app.register_blueprint(sync_blueprint(SyncService(store.pairing, store.samples, clock=clock)))
    return app.test_client()


def paired(client, store, clock) -> str:
    code = issue_pairing(store.pairing, PERSON, int(clock.now))
    answer = client.post("/v1/pair", json={"code": code, "device": "Polar H10"})
    assert answer.status_code == 201
    return answer.get_json()["token"]


def samples(clock: Clock, bpms: list[int]) -> list[dict[str, Any]]:
    start = int(clock.now * 1000) - 1000 * len(bpms)
    return [open_mhealth(start + 1000 * i, bpm) for i, bpm in enumerate(bpms)]


def test_pairing_gives_a_token_whose_samples_reach_the_rest_decision(client, store, clock) -> None:
    token = paired(client, store, clock)
    assert store.pairing.user_for_token(digest(token)) == PERSON and token not in json.dumps(store.pairing.db.rows(
        "SELECT * FROM tokens"))  # only the hash is kept
    answer = client.post("/v1/heart-rate", json={"samples": samples(clock, [150 - i for i in range(30)])},
                         headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 202 and answer.get_json() == {"accepted": 30}
    stored = store.samples.recent_samples(PERSON, int(clock.now * 1000) - 60_000)
    decision = decide_rest(Vitals(tuple(stored), 108), int(clock.now * 1000), 30)
    assert decision is not None and decision.bpm == 121 and decision.trend == "falling" and decision.extra_seconds
    # Nothing read the old /v1/events route's data: it is gone.
    gone = client.post("/v1/events", json={"type": "set_done"}, headers={"Authorization": f"Bearer {token}"})
    assert gone.status_code == 404


def test_wrong_expired_and_reused_codes_are_refused(client, store, clock) -> None:
    code = issue_pairing(store.pairing, PERSON, int(clock.now))
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    assert client.post("/v1/pair", json={"code": wrong}).status_code == 403
    assert client.post("/v1/pair", json={"code": code}).status_code == 201
    assert client.post("/v1/pair", json={"code": code}).status_code == 403  # single use
    old = issue_pairing(store.pairing, PERSON, int(clock.now))
    clock.now += PAIRING_TTL_S + 1
    assert client.post("/v1/pair", json={"code": old}).status_code == 403


@pytest.mark.parametrize("body", [
    {"samples": []}, {"samples": "lots"}, {}, [1, 2],
    {"samples": [{"heart_rate": {"value": 80}}]},
    {"samples": [{"heart_rate": {"value": 80, "unit": "bpm"}, "effective_time_frame": {"date_time": "x"}}]},
    {"samples": [{"heart_rate": {"value": 900, "unit": "beats/min"},
                  "effective_time_frame": {"date_time": "2026-11-24T10:00:00Z"}}]},
    {"samples": [{"heart_rate": {"value": True, "unit": "beats/min"},
                  "effective_time_frame": {"date_time": "2026-11-24T10:00:00Z"}}]},
    {"samples": [{"heart_rate": {"value": 80, "unit": "beats/min"},
                  "effective_time_frame": {"date_time": "2026-11-24T10:00:00"}}]},  # no time zone
])
def test_bad_schema_is_a_400_and_stores_nothing(client, store, clock, body) -> None:
    token = paired(client, store, clock)
    answer = client.post("/v1/heart-rate", json=body, headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 400 and set(answer.get_json()) == {"error"}
    assert store.samples.recent_samples(PERSON, 0) == []


def test_bad_tokens_oversize_batches_and_wrong_content_are_refused(client, store, clock) -> None:
    body = {"samples": samples(clock, [100])}
    assert client.post("/v1/heart-rate", json=body).status_code == 401
    assert client.post("/v1/heart-rate", json=body, headers={"Authorization": "Bearer nope"}).status_code == 401
    token = paired(client, store, clock)
    auth = {"Authorization": f"Bearer {token}"}
    too_many = {"samples": samples(clock, [100] * (MAX_SAMPLES_PER_BATCH + 1))}
    assert client.post("/v1/heart-rate", json=too_many, headers=auth).status_code == 413
    huge = b"{\"samples\": [" + b" " * 110_000 + b"]}"
    assert client.post("/v1/heart-rate", data=huge, headers=auth, content_type="application/json").status_code == 413
    assert client.post("/v1/heart-rate", data="{", headers=auth, content_type="application/json").status_code == 400
    assert client.post("/v1/heart-rate", data="x", headers=auth, content_type="text/plain").status_code == 415
    assert store.samples.recent_samples(PERSON, 0) == []
    store.pairing.revoke(PERSON)
    assert client.post("/v1/heart-rate", json=body, headers=auth).status_code == 401


def test_rate_limits(client, store, clock) -> None:
    attempts = [client.post("/v1/pair", json={"code": "000000"}).status_code for _ in range(7)]
    assert attempts[:5] == [403] * 5 and attempts[5:] == [429, 429]
    limiter = RateLimiter(per_second=2, burst=3, clock=clock)
    assert [limiter.allow("t") for _ in range(4)] == [True, True, True, False]
    clock.now += 0.5
    assert limiter.allow("t") and not limiter.allow("t")


def test_the_companion_buffers_while_the_api_is_down_and_sends_later(store, clock) -> None:
    app = Flask("sync-test")
    app.register_blueprint(sync_blueprint(SyncService(store.pairing, store.samples, clock=clock)))
    client = app.test_client()
    up = {"value": False}

    def transport(path, body, headers):
        if not up["value"] and path == "/v1/heart-rate":
            raise ConnectionRefusedError("down")
        answer = client.post(path, json=body, headers=headers)
        return answer.status_code, answer.get_json()

    ticks = Clock()
    companion = Companion(transport, clock=ticks)
    companion.pair(issue_pairing(store.pairing, PERSON, int(clock.now)))
    start = int(clock.now * 1000) - 20_000
    companion.add((start + 1000 * i, 120) for i in range(20))
    assert companion.flush() is False and len(companion.buffer) == 20
    up["value"] = True
    assert companion.flush() is False  # still backing off
    ticks.now += 3
    assert companion.flush() is True and companion.sent == 20 and len(store.samples.recent_samples(PERSON, 0)) == 20


def test_pairing_and_heart_rate_through_both_lambdas_on_dynamodb(table, samples_table, monkeypatch) -> None:
    skill = load_lambda_app()
    spec = importlib.util.spec_from_file_location("sync_app_test", Path(__file__).parents[2] / "lambda" / "sync_app.py")
    sync = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sync)

    def api(path: str, body: Any, token: str = "") -> dict[str, Any]:
        headers = {"content-type": "application/json"}
        if token:
            headers["authorization"] = f"Bearer {token}"
        event = {"version": "2.0", "rawPath": path, "headers": headers, "body": json.dumps(body),
                 "isBase64Encoded": False, "requestContext": {"http": {"method": "POST", "sourceIp": "127.0.0.1"}}}
        answer = sync.handler(event, FakeLambdaContext())
        return {"status": answer["statusCode"], **json.loads(answer["body"])}

    echo = LambdaEcho(skill)
    now = time.time()
    body = envelopes.envelope(envelopes.intent_request("PairWatchIntent", now), user=envelopes.user_id("alex"),
                              device=envelopes.device_id("kitchen"), session_id="s", new_session=True)
    spoken = skill.handler(body, FakeLambdaContext())["response"]["outputSpeech"]["ssml"]
    code = spoken.split('interpret-as="digits">')[1][:6]
    assert api("/v1/pair", {"code": "123"})["status"] == 400
    paired_now = api("/v1/pair", {"code": code, "device": "watch"})
    assert paired_now["status"] == 201
    assert api("/v1/pair", {"code": code})["status"] == 403  # used: the conditional delete refused it
    token = paired_now["token"]
    readings = [open_mhealth(int((now - 40 + i) * 1000), 150 - i) for i in range(40)]
    assert api("/v1/heart-rate", {"samples": readings}, token) == {"status": 202, "accepted": 40}
    assert api("/v1/heart-rate", {"samples": readings}, "wrong")["status"] == 401
    # The skill, for the same person, now sees a live heart rate: its responses end at rests.
    started = echo.send("start_workout", now - 1)
    assert echo.record["wearable"] == {"paired": True} and started["response"]["outputSpeech"]
    person = hashlib.sha256(b"amzn1.ask.account.alex").hexdigest()
    assert samples_table.query(KeyConditionExpression=Key("user").eq(person))["Count"] == 40
