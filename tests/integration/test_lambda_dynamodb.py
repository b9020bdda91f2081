"""The Lambda entry on a real DynamoDB-compatible server: resume anywhere, one read and one write, no lost
updates between two Echos, and storage faults that never cost a completed set."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest

from skill.engine.coach import Coach
from skill.engine.commands import Cmd, Command
from skill.engine.state import FINISHED, WorkoutState
from skill.speech import prompts
from skill.speech.timing import estimate_seconds
from tests.engine import Ask, handle
from tests.integration.conftest import REPO, DynamoCalls, FakeLambdaContext, LambdaEcho, event

T = 1_795_000_000.0
LATER = 10 * 86_400 * 1000  # ms: long after everything was heard


def speech(response: dict[str, Any]) -> str:
    return (response["response"].get("outputSpeech") or {}).get("ssml", "")


def heard_by(response: dict[str, Any], at: float) -> float:
    """When the person has heard all of `response` (sent at `at`) and speaks again."""
    return at + estimate_seconds(speech(response)) + 1


def stored(table: Any, user: str = "alex") -> dict[str, Any]:
    item = table.get_item(Key={"id": f"amzn1.ask.account.{user}"}, ConsistentRead=True).get("Item")
    return item["attributes"] if item else {}


def stored_state(table: Any, user: str = "alex") -> WorkoutState | None:
    return WorkoutState.from_dict(_plain(stored(table, user)).get("workout"))


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def finished_moves(coach: Coach, state: WorkoutState | None, now_ms: int) -> int:
    if state is None or coach.plan(state) is None:
        return 0
    return coach.completed_moves(coach.settle(state, now_ms))


def run_uninterrupted(echo: LambdaEcho) -> float:
    at = T
    response = echo.send("start_workout", at)
    while response["response"]["shouldEndSession"] is False:
        at = heard_by(response, at)
        response = echo.send("next", at)
    return heard_by(response, at)


def test_importing_the_lambda_entry_needs_no_region_and_no_boto3() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    code = (
        "import importlib.util, sys; spec = importlib.util.spec_from_file_location('app', 'lambda/app.py'); "
        "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m); "
        "print(sorted(k for k in sys.modules if k.split('.')[0] in ('boto3', 'botocore', 'ask_sdk_dynamodb')))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_a_whole_circuit_in_one_go_is_saved_finished_with_its_history(lambda_app, table, coach: Coach) -> None:
    end = run_uninterrupted(LambdaEcho(lambda_app))
    raw = stored(table)
    assert isinstance(raw["version"], Decimal)  # DynamoDB's numbers, read back as Decimal and handled
    state = stored_state(table)
    assert coach.settle(state, int(end * 1000)).phase == FINISHED
    [entry] = _plain(raw["history"])
    # A set is one side, grip or letter, as in the FIT export: 16 in the circuit, not 8.
    assert entry["workout"] == "six_minute" and entry["sets"] == 16 and entry["status"] == "finished"
    assert entry["date"] == datetime.fromtimestamp(end, UTC).date().isoformat()


def test_three_sessions_and_a_second_echo_end_where_one_run_does(lambda_app, table, coach: Coach) -> None:
    kitchen = LambdaEcho(lambda_app, device="kitchen")
    started = kitchen.send("start_workout", T)
    third_move = kitchen.state.timeline[2]
    stopped = kitchen.send("stop", T + third_move.start_ms / 1000 + 3)  # "Alexa, stop" during the third move
    assert stopped["response"]["shouldEndSession"] is True and started

    at = T + 600
    resumed = kitchen.send("resume", at)  # "Alexa, ask back coach to resume my back workout"
    assert kitchen.state.timeline[0].step == third_move.step
    # The resumed response runs to the end of round one ("say next when you're ready"); round two's short key
    # cues fit one response, so the person walks away before it: Alexa closes the session.
    at = heard_by(resumed, at) + 16
    kitchen.send("session_ended_timeout", at)

    lounge = LambdaEcho(lambda_app, device="lounge")
    at += 1200
    response = lounge.send("launch", at)  # same account, another Echo: picks up at once
    assert "Welcome back" in speech(response)
    while response["response"]["shouldEndSession"] is False:
        at = heard_by(response, at)
        response = lounge.send("next", at)
    end_ms = int(heard_by(response, at) * 1000)
    interrupted = coach.settle(stored_state(table), end_ms)
    assert interrupted.phase == FINISHED and coach.completed_moves(interrupted) == 16
    assert len(stored(table)["history"]) == 1

    one_go = LambdaEcho(lambda_app, user="sam")
    end = run_uninterrupted(one_go)
    uninterrupted = coach.settle(stored_state(table, "sam"), int(end * 1000))
    assert (interrupted.phase, interrupted.position) == (uninterrupted.phase, uninterrupted.position)


def test_one_read_per_turn_and_one_write_per_change(lambda_app, calls: DynamoCalls) -> None:
    # The session carries no copy of the record (it would outgrow Alexa's 24 KB): each turn reads it once.
    echo = LambdaEcho(lambda_app)
    started = echo.send("start_workout", T)
    assert calls.counts == {"GetItem": 1, "PutItem": 1}
    calls.reset()
    echo.send("status", T + 20)  # a barge-in: the position becomes definite, saved once
    assert calls.counts == {"GetItem": 1, "PutItem": 1}
    calls.reset()
    for name in ("help", "explain_iyt", "status", "explain_unknown"):
        echo.send(name, T + 25)
    assert calls.counts == {"GetItem": 4}  # nothing changed, nothing written
    calls.reset()
    nxt = echo.send("next", T + 30)
    assert calls.counts == {"GetItem": 1, "PutItem": 1}
    calls.reset()
    echo.send("session_ended_user", T + 31)
    assert calls.counts == {"GetItem": 1, "PutItem": 1}  # the barge-in on the response in flight is saved
    assert started and nxt and "record" not in echo.attributes


def test_two_echos_at_once_never_overwrite_each_other(lambda_app, table, calls: DynamoCalls, coach: Coach) -> None:
    from skill.storage import dynamo

    kitchen, lounge = LambdaEcho(lambda_app, device="kitchen"), LambdaEcho(lambda_app, device="lounge")
    kitchen.send("start_workout", T)
    raced: list[dict] = []

    def lounge_writes_first(model, **kwargs) -> None:
        """Between the kitchen's read and its write, the lounge picks the workout up (version 2)."""
        if model.name == "PutItem" and not raced:
            raced.append({})
            lounge.send("launch", T + 60)
            raced[0] = lounge.record

    dynamo.client().meta.events.register_first("before-call.dynamodb", lounge_writes_first)
    try:
        calls.reset()
        answer = kitchen.send("next", T + 70)
    finally:
        dynamo.client().meta.events.unregister("before-call.dynamodb", lounge_writes_first)
    [lounge_record] = raced
    assert lounge_record["version"] == 2
    # The kitchen's read and its refused write, the lounge's turn, then the kitchen's re-read and write.
    assert calls.counts == {"GetItem": 3, "PutItem": 3}
    lounge_state = WorkoutState.from_dict(lounge_record["workout"])
    taught = tuple(lounge_record["taught"])  # what the fresh record says was taught already
    expected = handle(coach, lounge_state, Ask(Cmd.NEXT, taught=taught), int((T + 70) * 1000)).state
    assert kitchen.state == expected  # "next" applied again on the lounge's record, not over it
    assert stored(table)["version"] == 3 and stored_state(table) == expected
    assert prompts.SAVE_FAILED not in speech(answer)


SCRIPT = [  # (event, seconds after the previous response began; None = after it was all heard)
    ("start_workout", None), ("status", 30), ("next", None), ("pause", 20), ("resume", 600), ("next", None),
    ("explain_iyt", 5), ("next", None), ("next", None),
]


COMMANDS = {
    "start_workout": Command(Cmd.START), "status": Command(Cmd.STATUS), "next": Command(Cmd.NEXT),
    "pause": Command(Cmd.PAUSE), "resume": Command(Cmd.RESUME), "explain_iyt": Command(Cmd.EXPLAIN, exercise="i_y_t"),
}


def run_script(echo: LambdaEcho, calls: DynamoCalls, fault_turn: int | None, coach: Coach) -> tuple[int, int]:
    """Runs SCRIPT with every DynamoDB call failing during `fault_turn`. Returns how many moves the person had
    completed by their last request, by a shadow engine that follows what they heard (never the store), and
    when the script ended (ms)."""
    at, last, reached, truth = T, None, 0, None
    for turn, (name, offset) in enumerate(SCRIPT):
        if last is not None:
            at = last[1] + offset if offset is not None else heard_by(last[0], last[1])
        now = int(at * 1000)
        reached = max(reached, finished_moves(coach, truth, now))
        command = replace(COMMANDS[name], new_session=not echo.open)
        calls.fail_all = turn == fault_turn
        response = echo.send(name, at)
        calls.fail_all = False
        if prompts.STORAGE_DOWN not in speech(response):  # the person heard the command carried out
            truth = handle(coach, truth, command, now).state
        last = (response, at)
    return reached, int(heard_by(*last) * 1000)


@pytest.mark.parametrize("fault_turn", range(len(SCRIPT)))
def test_an_outage_at_any_turn_never_loses_a_completed_set(lambda_app, table, calls, coach, fault_turn) -> None:
    echo = LambdaEcho(lambda_app, user=f"fault{fault_turn}")
    reached, end = run_script(echo, calls, fault_turn, coach)
    saved = finished_moves(coach, stored_state(table, f"fault{fault_turn}"), end + LATER)
    assert saved >= reached
    assert reached > 0 or fault_turn == 0  # an outage on the very first request: nothing was started


def test_throttles_are_retried_without_the_person_noticing(lambda_app, table, calls, coach) -> None:
    echo = LambdaEcho(lambda_app, user="throttled")
    at = T
    for name in ("start_workout", "next"):
        calls.throttle_next = 1
        response = echo.send(name, at)
        assert prompts.SAVE_FAILED not in speech(response) and prompts.STORAGE_DOWN not in speech(response)
        at = heard_by(response, at)
    assert "unsaved" not in echo.attributes
    assert stored_state(table, "throttled") == echo.state


def _nest(depth: int) -> Any:
    value: Any = {}
    for _ in range(depth):
        value = {"a": value}
    return value


def test_session_attributes_nested_too_deep_are_dropped_and_the_stored_place_is_used(
        lambda_app, calls: DynamoCalls, caplog: pytest.LogCaptureFixture) -> None:
    echo = LambdaEcho(lambda_app)
    echo.send("start_workout", T)
    place = echo.state
    echo.attributes = {"record": _nest(5000)}  # the SDK's reader would fail with RecursionError
    calls.reset()
    with caplog.at_level("WARNING", logger="backcoach.lambda"):
        answer = echo.send("status", T + 20)
    assert "dropped the session attributes" in caplog.text
    assert calls.counts.get("GetItem") == 1  # the stored record instead of the session's copy
    assert answer["response"]["outputSpeech"]["ssml"] and echo.state is not None
    assert echo.state.workout == place.workout and echo.state.started_at_ms == place.started_at_ms


@pytest.mark.parametrize(("name", "kind", "spoken"), [
    ("help", "", True), ("session_ended_user", "", False), ("help", "AudioPlayer.PlaybackNearlyFinished", False)])
def test_a_request_nested_too_deep_elsewhere_gets_an_apology_and_changes_nothing(
        lambda_app, calls: DynamoCalls, name: str, kind: str, spoken: bool) -> None:
    body = event(name, at=T, user="alex", device="kitchen", session_id="s-deep", new=True, attributes={})
    if kind:  # an AudioPlayer event: no session, and no speech allowed in the answer
        body["request"]["type"] = kind
        del body["session"]
    body["request"]["deep"] = _nest(5000)
    answer = lambda_app.handler(body, FakeLambdaContext())
    assert ("outputSpeech" in answer["response"]) is spoken and calls.counts == {}
    if spoken:
        assert answer["response"]["outputSpeech"]["text"] == prompts.APOLOGY
