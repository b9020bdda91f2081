"""What the turn does with the engine's effects: history, workout logs, one count of sets, session checks."""

from __future__ import annotations

import json
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.activity.log import build_log
from skill.bootstrap import build_skill
from skill.cli import envelopes
from skill.cli.activity import person
from skill.cli.chat import Chat
from skill.content.schema import Content
from skill.engine.plan import build_plan
from skill.engine.state import Done, WorkoutState
from tests.conftest import START


def finish(chat: Chat) -> None:
    answer = chat.say("start my back workout")
    while not answer.ends_session:
        answer = chat.say("next")


def test_a_finished_workout_stays_finished_when_a_new_one_starts(chat: Chat, store) -> None:
    finish(chat)
    chat.say("start my back workout")
    [log] = store.logs.logs(person("local-user"))
    assert log["status"] == "finished"


def test_the_voice_and_the_export_count_the_same_sets(chat: Chat, store) -> None:
    finish(chat)
    answer = chat.say("how many workouts did I do this week")
    [log] = store.logs.logs(person("local-user"))
    exported = sum(1 for s in log["sets"] if s["kind"] == "move")
    assert exported == 16 and "with sixteen sets" in answer.text


def test_an_abandoned_workout_is_in_spoken_history(chat: Chat, store) -> None:
    started = chat.say("start my back workout")
    chat.say(f"@{started.workout.timeline[3].start_ms // 1000 + 2} stop")
    chat.say("I only have a band")  # the circuit is replaced by a band session, three sets in
    chat.say("stop")
    answer = chat.say("what did I do last time")
    assert "before stopping" in answer.text and "haven't" not in answer.text
    assert [log["status"] for log in store.logs.logs(person("local-user"))] == ["abandoned"]


def invoke(skill, body: dict[str, Any]) -> dict[str, Any]:
    serializer = DefaultSerializer()
    return serializer.serialize(skill.invoke(serializer.deserialize(json.dumps(body), RequestEnvelope), None))


def test_a_session_record_that_fails_the_checks_is_dropped_for_the_stored_one(content: Content, store) -> None:
    skill = build_skill(store, content)
    user = envelopes.user_id("u1")

    def request(name: str, new: bool, attributes: dict | None = None) -> dict:
        return envelopes.envelope(envelopes.intent_request(name, START), user=user, device=envelopes.device_id("d"),
                                  session_id="s", new_session=new, attributes=attributes)

    invoke(skill, request("StartWorkoutIntent", True))
    stored = store.records.load(user)
    # A copy "whose write failed", carried by the session, that no save could have made.
    forged = {**json.loads(json.dumps(stored)), "version": "seven", "history": [{"workout": 1}]}
    status = invoke(skill, request("AMAZON.NextIntent", False, {"unsaved": forged}))
    assert "unsaved" not in status.get("sessionAttributes", {})
    saved = store.records.load(user)
    assert saved["version"] == stored["version"] + 1  # "next" moved the stored record on, not the forged one
    assert saved["history"] == stored["history"] and saved["workout"] != stored["workout"]


def test_a_log_never_runs_backwards_and_has_no_negative_length(content: Content) -> None:
    plan = build_plan(content, "six_minute")
    first, second, third = (s.id for s in plan.steps[:3])
    state = WorkoutState(workout="six_minute", position=third, started_at_ms=10_000, done=(
        Done(first, 9_000, 20_000),      # an Echo whose clock is a second behind the one that started it
        Done(second, 25_000, -4_000),    # a "next" stamped before the set began
        Done(third, 20_000, 5_000),
    ))
    log = build_log(plan, state, "abandoned")
    assert log is not None
    starts = [s.start_ms for s in log.sets]
    assert starts == sorted(starts) and starts[0] >= log.started_at_ms
    assert all(s.duration_ms >= 0 for s in log.sets)
    assert all(a.start_ms + a.duration_ms <= b.start_ms for a, b in zip(log.sets, log.sets[1:], strict=False))
    assert log.finished_at_ms == log.sets[-1].start_ms + log.sets[-1].duration_ms
