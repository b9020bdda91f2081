"""Issue 30: every request type Alexa documents (and one it has not invented yet) gets the answer Alexa accepts,
through the Lambda entry (moto's DynamoDB on loopback) and through `backcoach serve` (the real server, on
loopback), and both answer alike. A consent coming back keeps the place; CanFulfillIntentRequest is judged from
the content with no read or write; what Alexa reports is logged without ids."""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from skill.bootstrap import build_app
from skill.cli import envelopes
from skill.storage.stores import sqlite_stores
from skill.web.app import create_app
from tests.events import SKILL_ID
from tests.integration.conftest import DynamoCalls, FakeLambdaContext, LambdaEcho
from tests.integration.test_web import http_post, serve, stop
from tests.request_types import CAN_FULFILL, REMINDERS_SCOPE, SILENT, TYPES, envelope_of, request_of, shape_problems

T = 1_795_000_000.0
USER = envelopes.user_id("alex")


def send(app: Any, kind: str, at: float = T, **fields: Any) -> dict[str, Any]:
    return app.handler(envelope_of(request_of(kind, at, **fields), USER, "s-types"), FakeLambdaContext())


@pytest.mark.parametrize("kind", sorted(TYPES))
def test_every_request_type_through_the_lambda_entry_gets_the_answer_alexa_documents(
        lambda_app: Any, calls: DynamoCalls, kind: str) -> None:
    answer = send(lambda_app, kind)
    assert shape_problems(kind, answer) == [], answer
    assert "PutItem" not in calls.counts or TYPES[kind] != SILENT  # nothing to do, so nothing written


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, subprocess.Popen]]:
    """`backcoach serve` on 127.0.0.1 for this module (unsigned requests: there is no Alexa to sign them)."""
    process, url = serve(tmp_path_factory.mktemp("serve"), "--insecure-skip-verification")
    yield url, process
    stop(process)


@pytest.fixture(scope="module")
def in_process() -> Iterator[Any]:
    """The same App the Lambda entry runs, in process, to compare the server's answers with."""
    stores = sqlite_stores()
    yield build_app(stores)
    stores.close()


@pytest.mark.parametrize("kind", sorted(TYPES))
def test_every_request_type_through_backcoach_serve_gets_the_same_answer(server: Any, in_process: Any,
                                                                        kind: str) -> None:
    url, _ = server
    request = request_of(kind, T)
    status, answer = http_post(url, envelope_of(request, USER, "s-serve"))
    assert status == 200 and shape_problems(kind, answer) == [], answer
    if TYPES[kind] in (SILENT, CAN_FULFILL):  # no state involved: exactly what the Lambda entry answers
        assert answer["response"] == in_process.handle(envelope_of(request, USER, "s-app"))["response"]


def test_a_type_the_sdk_cannot_read_is_verified_before_it_is_answered(store: Any) -> None:
    client = create_app(store, SKILL_ID).test_client()
    body = envelope_of(request_of("Alexa.Tomorrow.SomethingNew", T), USER, "s")
    body["context"]["System"]["application"]["applicationId"] = SKILL_ID
    answer = client.post("/", json=body)  # unsigned
    assert answer.status_code == 400 and "verification" in answer.get_json()["error"]


@pytest.mark.parametrize(("kind", "fields", "said"), [
    ("Connections.Response", {}, "reminders are allowed now"),
    ("Connections.Response", {"payload": {"permissionScope": REMINDERS_SCOPE, "status": "DENIED"}},
     "no reminders then"),
    ("Connections.Response", {"name": "Buy", "payload": {"purchaseResult": "ACCEPTED", "productId": "p"}}, ""),
    ("SessionResumedRequest", {}, ""),
])
def test_a_consent_or_purchase_coming_back_keeps_the_place(lambda_app: Any, kind: str, fields: dict[str, Any],
                                                           said: str) -> None:
    echo = LambdaEcho(lambda_app)
    echo.send("start_workout", T)
    before = echo.state
    body = envelope_of(request_of(kind, T + 30, **fields), USER, echo.session_id, new=False,
                       attributes=echo.attributes)
    answer = lambda_app.handler(body, FakeLambdaContext())
    assert shape_problems(kind, answer) == []
    ssml = answer["response"]["outputSpeech"]["ssml"]
    assert said in ssml and "Say resume to pick up the" in ssml
    assert answer["response"]["shouldEndSession"] is False
    after = echo.state  # the same workout, at the step the voice had reached when the answer came
    reached = next(seg.step for seg in before.timeline if seg.start_ms <= 30_000 < seg.end_ms)
    assert (after.workout, after.started_at_ms, after.position) == (before.workout, before.started_at_ms, reached)


@pytest.mark.parametrize(("intent", "slots", "verdict", "slot_verdicts"), [
    ("ExplainExerciseIntent", {"EXERCISE": "band pull apart"}, "YES", {"EXERCISE": "YES"}),
    ("ExplainExerciseIntent", {"EXERCISE": "purple dumbbell dance"}, "NO", {"EXERCISE": "NO"}),
    ("ExplainExerciseIntent", {}, "MAYBE", {}),  # "how do I do this": which move, only a workout says
    ("ExplainExerciseIntent", {"LETTER": "Y"}, "YES", {"LETTER": "YES"}),
    ("StartWorkoutIntent", {}, "YES", {}),
    ("StartWorkoutIntent", {"EQUIPMENT": "resistance band"}, "YES", {"EQUIPMENT": "YES"}),
    ("StartWorkoutIntent", {"WORKOUT": "the moon walk"}, "NO", {"WORKOUT": "NO"}),
    ("MusclesIntent", {"EXERCISE": "face pull"}, "YES", {"EXERCISE": "YES"}),
    ("SetReminderIntent", {"DAYS": "weekdays", "TIME": "07:00"}, "YES", {"DAYS": "YES", "TIME": "YES"}),
    ("SetAgeIntent", {"AGE": "?"}, "NO", {"AGE": "NO"}),
    ("WorkoutStatusIntent", {}, "MAYBE", {}),
    ("UploadWorkoutIntent", {}, "MAYBE", {}),
    ("PainIntent", {}, "NO", {}),
    ("AMAZON.StopIntent", {}, "NO", {}),
    ("SomeoneElsesIntent", {}, "NO", {}),
])
def test_can_fulfill_judges_each_intent_and_slot_from_the_content_and_touches_no_record(
        lambda_app: Any, calls: DynamoCalls, intent: str, slots: dict[str, str], verdict: str,
        slot_verdicts: dict[str, str]) -> None:
    sent = {name: {"name": name, "value": value} for name, value in slots.items()}
    answer = send(lambda_app, "CanFulfillIntentRequest", intent={"name": intent, "slots": sent})
    assert shape_problems("CanFulfillIntentRequest", answer) == []
    found = answer["response"]["canFulfillIntent"]
    assert found["canFulfill"] == verdict
    assert {k: v["canUnderstand"] for k, v in (found.get("slots") or {}).items()} == slot_verdicts
    assert {k: v["canFulfill"] for k, v in (found.get("slots") or {}).items()} == slot_verdicts
    assert calls.counts == {}  # no read, no write
    assert send(lambda_app, "CanFulfillIntentRequest", intent={"name": intent, "slots": sent}) == answer  # idempotent


def test_what_alexa_reports_is_logged_once_with_its_type_and_no_ids(lambda_app: Any,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    send(lambda_app, "System.ExceptionEncountered")
    send(lambda_app, "Alexa.Presentation.APL.RuntimeError")
    for _ in range(3):
        send(lambda_app, "Alexa.Tomorrow.SomethingElse")
    text = caplog.text
    assert "type=INVALID_RESPONSE" in text and "An exception occurred in the response" in text
    assert "LINK_ERROR: No such layout: Panel" in text
    assert text.count("unknown request type=Alexa.Tomorrow.SomethingElse") == 1
    assert USER not in text and "amzn1.ask.device" not in text
    assert "Traceback" not in text and "DispatchException" not in text and "SerializationException" not in text


def test_the_manifest_declares_can_fulfill_and_the_models_carry_name_free_phrases() -> None:
    import json

    from skill.alexa.interaction_model import LOCALES, load_model
    from skill.cli.nlu import Nlu

    manifest = json.loads((Path(__file__).resolve().parents[2] / "infrastructure" / "skill.json").read_text())
    assert {"type": "CAN_FULFILL_INTENT_REQUEST"} in manifest["manifest"]["apis"]["custom"]["interfaces"]
    for locale in LOCALES:
        model = load_model(locale)
        nlu = Nlu(model)
        points = model["interactionModel"]["_nameFreeInteraction"]["ingressPoints"]
        assert [p["type"] for p in points].count("LAUNCH") == 1
        for point in points:
            phrases = [u["value"] for u in point["sampleUtterances"]]
            assert 1 <= len(phrases) <= 5 and all("{" not in p and u["format"] == "RAW_TEXT"
                                                  for p, u in zip(phrases, point["sampleUtterances"], strict=True))
            if point["type"] == "INTENT":  # each phrase reaches that intent in the skill's own model
                assert all(nlu.resolve(p).intent == point["name"] for p in phrases), point
