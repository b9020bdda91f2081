"""Generated bad bodies for the web endpoint and the sync API: every answer is a 4xx or a well-formed Alexa
response, never a 5xx or a stack trace, and nothing is stored for a refused request."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill.companion.stream import open_mhealth
from skill.heartrate.pairing import digest
from skill.heartrate.service import RateLimiter
from skill.speech.prompts import APOLOGY
from skill.speech.ssml import check
from skill.storage.stores import Stores, sqlite_stores
from skill.web.app import create_app
from tests.events import EVENTS, SKILL_ID, event
from tests.robustness.conftest import TRIED

TOKEN = "fuzz-device-token"
TEMPLATES = sorted(p.stem for p in EVENTS.glob("*.json"))

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=30,
)


@st.composite
def mutated_envelope(draw: Any) -> bytes:
    """A real envelope with one part removed or replaced by something of the wrong kind."""
    body = event(draw(st.sampled_from(TEMPLATES)), at=time.time())
    paths = [("request",), ("request", "type"), ("request", "timestamp"), ("request", "intent"), ("version",),
             ("session",), ("context",), ("session", "attributes"), ("context", "System"),
             ("request", "intent", "slots"), ("session", "new")]
    path = draw(st.sampled_from(paths))
    target = body
    for key in path[:-1]:
        target = target.get(key) if isinstance(target, dict) else None
    if isinstance(target, dict) and path[-1] in target:
        if draw(st.booleans()):
            del target[path[-1]]
        else:
            target[path[-1]] = draw(json_values | st.sampled_from(["Unknown.Request", "2.0", "AMAZON.NoIntent"]))
    return json.dumps(body).encode()


@st.composite
def truncated(draw: Any) -> bytes:
    text = json.dumps(event(draw(st.sampled_from(TEMPLATES)), at=time.time()))
    return text[: draw(st.integers(0, len(text) - 1))].encode()


bad_bodies = st.one_of(
    truncated(),
    mutated_envelope(),
    json_values.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=300),
    st.integers(1, 6000).map(lambda n: b"[" * n + b"]" * n),  # deep nesting
    st.integers(1, 4).map(lambda n: json.dumps({"version": "1.0", "request": {"type": "x" * (60_000 * n)}}).encode()),
)


def rows(store: Stores) -> list:
    return store.records.db.rows("SELECT * FROM attributes")


@pytest.fixture(scope="module")
def apps():
    unlimited = pytest.MonkeyPatch()  # the rate limits have their own tests; here every body must get through
    unlimited.setattr(RateLimiter, "allow", lambda self, key: True)
    store = sqlite_stores()
    insecure = create_app(store, "", verify_signature=False, verify_timestamp=False)
    secure = create_app(store, SKILL_ID)
    store.pairing.save_token(digest(TOKEN), "p" * 64, "fuzzer", int(time.time()))
    yield insecure.test_client(), secure.test_client(), store, store.samples
    unlimited.undo()
    store.close()


def assert_sound(answer: Any) -> None:
    assert answer.status_code < 500, answer.get_data(as_text=True)[:300]
    text = answer.get_data(as_text=True)
    assert "Traceback" not in text
    payload = json.loads(text)
    if answer.status_code == 200:
        assert payload["version"] == "1.0" and isinstance(payload["response"], dict)
        speech = payload["response"].get("outputSpeech")
        if speech and speech["type"] == "SSML":
            assert check(speech["ssml"]) == []
        elif speech:  # the apology to an envelope the SDK cannot read, as the Lambda entry gives it
            assert speech == {"type": "PlainText", "text": APOLOGY}
    else:
        assert set(payload) == {"error"}


@given(body=bad_bodies, secure=st.booleans())
def test_the_skill_endpoint_never_fails_on_bad_bodies(apps, body: bytes, secure: bool) -> None:
    insecure_client, secure_client, store, _ = apps
    before = rows(store)
    answer = (secure_client if secure else insecure_client).post("/", data=body, content_type="application/json")
    TRIED["skill endpoint bodies"] += 1
    assert_sound(answer)
    if answer.status_code >= 400:
        assert rows(store) == before


@given(body=bad_bodies, route=st.sampled_from(["/v1/heart-rate", "/v1/pair"]))
def test_the_sync_api_never_fails_on_bad_bodies(apps, body: bytes, route: str) -> None:
    client, _, _, wearable = apps
    before = wearable.db.rows("SELECT COUNT(*) FROM samples")[0][0]
    answer = client.post(route, data=body, content_type="application/json",
                         headers={"Authorization": f"Bearer {TOKEN}"})
    TRIED["sync API bodies"] += 1
    assert answer.status_code < 500 and "Traceback" not in answer.get_data(as_text=True)
    if answer.status_code >= 400:
        assert wearable.db.rows("SELECT COUNT(*) FROM samples")[0][0] == before


@given(sample=json_values, value=st.one_of(st.integers(-10, 400), st.floats(allow_nan=True), st.text(max_size=5)))
def test_heart_rate_samples_of_every_shape(apps, sample: Any, value: Any) -> None:
    client = apps[0]
    good = open_mhealth(int(time.time() * 1000) - 5000, 90)
    odd = {**good, "heart_rate": {"value": value, "unit": "beats/min"}}
    answer = client.post("/v1/heart-rate", data=json.dumps({"samples": [good, odd, sample]}, allow_nan=True),
                         content_type="application/json", headers={"Authorization": f"Bearer {TOKEN}"})
    TRIED["heart-rate samples"] += 1
    assert answer.status_code in (202, 400, 429)
