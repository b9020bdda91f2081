"""The whole 6-minute circuit, end to end through `backcoach chat`, and barge-ins on each of its four moves."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from skill.cli.chat import Chat, Exchange
from skill.content import load_content
from skill.content.schema import Content
from skill.engine.plan import MOVE, REST, build_plan
from skill.speech.ssml import check

CIRCUIT_MOVES = ["band_pull_apart", "single_arm_mini_loop_pulldown", "i_y_t", "resistance_band_row_with_pause"]


def backcoach() -> list[str]:
    script = Path(sys.executable).with_name("backcoach")
    return [str(script)] if script.exists() else [sys.executable, "-m", "skill.cli.main"]


def assert_valid_response(response: dict) -> None:
    body = response["response"]
    ssml = body["outputSpeech"]["ssml"]
    assert check(ssml) == [], ssml[:200]
    if body.get("shouldEndSession") is False:
        assert check(body["reprompt"]["outputSpeech"]["ssml"]) == []


def test_a_complete_circuit_through_backcoach_chat(tmp_path: Path, content: Content) -> None:
    transcript = tmp_path / "transcript.jsonl"
    lines = "start my back workout\n" + "next\n" * 6
    run = subprocess.run(
        [*backcoach(), "chat", "--db", str(tmp_path / "coach.sqlite3"), "--transcript", str(transcript)],
        input=lines, capture_output=True, text=True, timeout=120, check=True,
    )
    assert "you> start my back workout" in run.stdout
    exchanges = [json.loads(line) for line in transcript.read_text().splitlines()]
    spoken = [e for e in exchanges if e["request"]["request"]["type"] != "SessionEndedRequest"]
    plan = build_plan(content, "six_minute")
    steps: list[int] = []
    turns = 0
    for exchange in spoken:
        turns += 1
        assert_valid_response(exchange["response"])
        steps += [seg[0] for seg in exchange["record"]["workout"]["timeline"]]
        if exchange["response"]["response"]["shouldEndSession"]:
            break
    last = exchange["response"]["response"]
    assert last["shouldEndSession"] is True and "done" in last["outputSpeech"]["ssml"]
    assert turns <= 4
    # Every step of both rounds, in order, each once: all four moves, both rounds, the rest between them.
    assert steps == [s.id for s in plan.steps]
    moves = [s for s in plan.steps if s.kind == MOVE]
    assert [m.exercise_id for m in moves if m.round == 1 and m.part == 0] == CIRCUIT_MOVES
    assert [m.exercise_id for m in moves if m.round == 2 and m.part == 0] == CIRCUIT_MOVES
    assert [s.rest_seconds for s in plan.steps if s.kind == REST] == [30]
    whole = " ".join(e["response"]["response"]["outputSpeech"]["ssml"] for e in spoken)
    assert "Rest for thirty seconds." in whole and "Round two of two." in whole and "Switch arms" in whole
    for letter in ("I position.", "Y position.", "T position."):
        assert letter in whole


def index(exchange: Exchange, step_id: str) -> int:
    """Where a step (by its id) is in the plan of the exchange's workout."""
    state = exchange.workout
    found = build_plan(load_content(), state.workout, state.equipment).index(step_id)
    assert found is not None
    return found


def exchange_with(chat: Chat, exercise_id: str, first: str = "start my back workout") -> tuple[Exchange, int]:
    """Speaks until a workout response carries `exercise_id`; returns it and the step of that move."""
    exchange = chat.say(first)
    plan = build_plan(chat.content, "six_minute")
    for _ in range(6):
        for seg in exchange.workout.timeline:
            if plan.steps[plan.index(seg.step)].exercise_id == exercise_id:
                return exchange, plan.index(seg.step)
        exchange = chat.say("next")
    raise AssertionError(f"{exercise_id} never came")


def seconds_into(exchange: Exchange, step: int, extra: float = 2.0) -> int:
    seg = next(s for s in exchange.workout.timeline if index(exchange, s.step) == step)
    return int(seg.start_ms / 1000 + extra)


def first_step(exchange: Exchange) -> int:
    return index(exchange, exchange.workout.timeline[0].step)


@pytest.mark.parametrize("exercise_id", CIRCUIT_MOVES)
def test_pause_during_each_move_resumes_at_that_move(chat: Chat, exercise_id: str) -> None:
    exchange, step = exchange_with(chat, exercise_id)
    paused = chat.say(f"@{seconds_into(exchange, step)} pause")
    assert paused.ends_session and paused.workout.phase == "paused"
    resumed = chat.say("resume")  # a new session: "Alexa, ask back coach to resume"
    assert resumed.request["session"]["new"] is True
    assert first_step(resumed) == step
    plan = build_plan(chat.content, "six_minute")
    assert plan.steps[first_step(resumed)].exercise_id == exercise_id


@pytest.mark.parametrize("exercise_id", CIRCUIT_MOVES)
def test_repeat_and_next_act_on_the_move_being_done(chat: Chat, exercise_id: str) -> None:
    exchange, step = exchange_with(chat, exercise_id)
    repeated = chat.say(f"@{seconds_into(exchange, step)} repeat")
    assert first_step(repeated) == step
    moved_on = chat.say(f"@{seconds_into(repeated, step)} next")
    assert first_step(moved_on) == step + 1


def test_a_barge_in_during_the_rest(chat: Chat) -> None:
    plan = build_plan(chat.content, "six_minute")
    rest = next(i for i, s in enumerate(plan.steps) if s.kind == REST)
    exchange, _ = exchange_with(chat, "resistance_band_row_with_pause")
    skipped = chat.say(f"@{seconds_into(exchange, rest)} next")
    assert first_step(skipped) == rest + 1 and plan.steps[rest + 1].round == 2
