"""The skill through real request envelopes: questions mid-workout, saved places, bad input and storage faults."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.bootstrap import build_app, build_skill
from skill.cli import envelopes
from skill.cli.chat import Chat
from skill.content.lookup import exercise_names
from skill.content.schema import Content
from skill.speech import prompts
from skill.speech.readable import to_text
from skill.speech.ssml import check
from skill.speech.words import prescription_words
from skill.storage.records import SQLiteRecordStore
from skill.storage.sqlite import Database
from skill.storage.stores import Stores, sqlite_stores
from tests.conftest import START


def test_how_do_i_do_every_exercise_by_every_name_mid_workout(chat: Chat, content: Content) -> None:
    started = chat.say("start my back workout")
    following = started.workout.timeline[2].step
    seg = started.workout.timeline[1]
    first = chat.say(f"@{seg.start_ms // 1000 + 2} where am I")
    before = first.workout
    for ex in content.exercises.values():
        for name in exercise_names(ex):
            answer = chat.say(f"how do I do the {name}")
            text = to_text(answer.ssml)
            assert all(line in text for line in ex.teaching), name
            in_workout = ex.id in {"band_pull_apart", "single_arm_mini_loop_pulldown", "i_y_t",
                                   "resistance_band_row_with_pause"}
            if in_workout:  # today's reps for the move, not the article's general range
                assert "Today it's" in text and (ex.prescription is None or prescription_words(ex) not in text)
            elif ex.prescription:
                assert prescription_words(ex) in text
            assert answer.workout == before, f"{name} moved the workout"
            assert not answer.ends_session and check(answer.reprompt_ssml) == []
    resumed = chat.say("next")
    assert resumed.workout.timeline[0].step == following


def test_an_unknown_exercise_names_the_closest_ones(chat: Chat) -> None:
    answer = chat.say("ask back coach how do I do a bent row")
    assert "I don't know an exercise called bent row" in answer.text and "bent over dumbbell row" in answer.text
    assert not answer.ends_session


def test_a_missing_exercise_asks_which(chat: Chat) -> None:
    answer = chat.say("how do I do this one")
    assert answer.text.startswith(prompts.WHICH_EXERCISE.split(".")[0])


def test_only_a_band_builds_a_band_session(chat: Chat) -> None:
    answer = chat.say("I only have a band")
    assert answer.workout.workout == "full_session" and answer.workout.equipment == ("band",)
    assert "band pull apart" in answer.text and "dumbbell" not in answer.text.split("I'll count")[0]


def test_the_place_survives_a_new_session_and_another_echo(content: Content, nlu, store) -> None:
    kitchen = Chat(build_app(store, content), nlu, content, device="kitchen", start_at=START)
    started = kitchen.say("start my back workout")
    paused = kitchen.say(f"@{started.workout.timeline[2].start_ms // 1000 + 3} pause")
    assert paused.ends_session
    lounge = Chat(build_app(store, content), nlu, content, device="lounge", start_at=START + 3600)
    welcome = lounge.say("open back coach")
    assert welcome.text.startswith("Welcome back. Picking up at the single arm pulldown, left arm.")
    assert welcome.workout.timeline[0].step == started.workout.timeline[2].step
    someone_else = Chat(build_app(store, content), nlu, content, user="guest", start_at=START + 3600)
    assert "Welcome to Back Coach" in someone_else.say("open back coach").text


def test_an_old_workout_is_offered_not_resumed(content: Content, nlu, store) -> None:
    today = Chat(build_app(store, content), nlu, content, start_at=START)
    started = today.say("start my back workout")
    today.say(f"@{started.workout.timeline[1].start_ms // 1000 + 3} stop")
    tomorrow = Chat(build_app(store, content), nlu, content, start_at=START + 13 * 3600)
    offer = tomorrow.say("ask back coach to resume my back workout")
    assert "Say resume to pick up there, or start over" in offer.text and not offer.ends_session
    assert "band pull apart, underhand grip" in offer.text
    resumed = tomorrow.say("resume")
    underhand = "r1.band_pull_apart.s1.underhand-grip"
    assert resumed.workout.timeline[0].step == started.workout.timeline[1].step == underhand


def test_session_end_saves_where_the_person_was(content: Content, nlu, store) -> None:
    chat = Chat(build_app(store, content), nlu, content, start_at=START)
    chat.say("start my back workout")
    ended = chat.end_session("USER_INITIATED")
    assert ended.ssml == "" and "outputSpeech" not in ended.response["response"]
    saved = store.records.db.rows("SELECT data FROM attributes")[0][0]
    assert json.loads(saved)["workout"]["phase"] == "ready"  # the whole response was heard


def invoke(skill, body: dict[str, Any]) -> dict[str, Any]:
    serializer = DefaultSerializer()
    envelope = serializer.deserialize(json.dumps(body), RequestEnvelope)
    return serializer.serialize(skill.invoke(envelope, None))


def request(name: str, new: bool = True, attributes: dict | None = None, slots: dict | None = None) -> dict:
    return envelopes.envelope(
        envelopes.intent_request(name, START, slots), user=envelopes.user_id("u1"), device=envelopes.device_id("d1"),
        session_id="amzn1.echo-api.session.test", new_session=new, attributes=attributes,
    )


def test_an_intent_the_skill_does_not_know_gets_the_fallback(content: Content, store) -> None:
    response = invoke(build_skill(store, content), request("SomeNewIntent"))
    assert prompts.FALLBACK in response["response"]["outputSpeech"]["ssml"]


class FlakyRecords(SQLiteRecordStore):
    def __init__(self, fail_get: bool = False, fail_save: bool = False) -> None:
        super().__init__(Database())
        self.fail_get, self.fail_save, self.saves = fail_get, fail_save, 0

    def load(self, key):
        if self.fail_get:
            raise ConnectionError("storage unreachable")
        return super().load(key)

    def save(self, key, data, version):
        self.saves += 1
        if self.fail_save:
            raise ConnectionError("storage unreachable")
        super().save(key, data, version)


def FlakyStore(fail_get: bool = False, fail_save: bool = False) -> Stores:
    stores = sqlite_stores()
    stores.records = FlakyRecords(fail_get, fail_save)
    return stores


def test_a_failed_read_is_heard_as_sense_writes_nothing_and_logs_no_user_id(content: Content, caplog) -> None:
    broken_read = FlakyStore(fail_get=True)
    caplog.set_level(logging.INFO)
    response = invoke(build_skill(broken_read, content), request("AMAZON.NextIntent"))
    assert response["response"]["outputSpeech"]["ssml"] == f"<speak>{prompts.STORAGE_DOWN}</speak>"
    assert response["response"]["shouldEndSession"] is False
    assert broken_read.records.saves == 0  # never overwrite a place that could not be read
    assert "read failed" in caplog.text and "amzn1.ask.account" not in caplog.text


def test_a_failed_write_is_carried_by_the_session_and_written_next_turn(content: Content, caplog) -> None:
    store = FlakyStore()
    skill = build_skill(store, content)
    started = invoke(skill, request("StartWorkoutIntent"))
    store.records.fail_save = True
    status = invoke(skill, request("WorkoutStatusIntent", new=False, attributes=started["sessionAttributes"]))
    speech = status["response"]["outputSpeech"]["ssml"]
    assert speech.endswith(f"{prompts.SAVE_FAILED}</speak>") and "You're in round one of two" in speech
    assert status["sessionAttributes"]["unsaved"]["workout"]["phase"] == "ready"  # the record still to write
    assert "write failed" in caplog.text
    store.records.fail_save = False
    saves = store.records.saves
    # A turn that changes nothing still writes what the session carries.
    helped = invoke(skill, request("AMAZON.HelpIntent", new=False, attributes=status["sessionAttributes"]))
    assert store.records.saves == saves + 1 and "unsaved" not in helped.get("sessionAttributes", {})
    saved = json.loads(store.records.db.rows("SELECT data FROM attributes")[0][0])
    assert saved["workout"]["phase"] == "ready" and saved["version"] == 2


def test_a_failing_handler_apologises_and_saves_nothing(content: Content, monkeypatch, caplog) -> None:
    store = FlakyStore()
    skill = build_skill(store, content)
    from skill.engine import decide

    def boom(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(decide, "handle", boom)
    response = invoke(skill, request("AMAZON.NextIntent"))
    assert response["response"]["outputSpeech"]["ssml"] == f"<speak>{prompts.APOLOGY}</speak>"
    assert response["response"]["shouldEndSession"] is False and store.records.saves == 0
    assert "unhandled error=RuntimeError" in caplog.text


@pytest.mark.parametrize("stored", [{"workout": {"workout": "six_minute", "round": "x"}}, {"workout": 5}])
def test_a_malformed_saved_state_is_set_aside(content: Content, stored: dict) -> None:
    store = FlakyStore()
    body = request("AMAZON.NextIntent")
    store.records.save(envelopes.user_id("u1"), stored, 1)
    response = invoke(build_skill(store, content), body)
    assert prompts.NO_WORKOUT in response["response"]["outputSpeech"]["ssml"]


def test_a_turn_that_changes_nothing_writes_nothing(content: Content) -> None:
    store = FlakyStore()
    skill = build_skill(store, content)
    invoke(skill, request("AMAZON.HelpIntent"))
    invoke(skill, request("WorkoutStatusIntent"))
    assert store.records.saves == 0
    started = invoke(skill, request("StartWorkoutIntent"))
    assert store.records.saves == 1
    # A barge-in settles the response in flight into a position: that is a change, saved once.
    status = invoke(skill, request("WorkoutStatusIntent", new=False, attributes=started["sessionAttributes"]))
    assert store.records.saves == 2
    slots = {"EXERCISE": envelopes.slot_value("EXERCISE", "i y t", ("i_y_t", "i y t"), "EXERCISE")}
    invoke(skill, request("ExplainExerciseIntent", new=False, attributes=status["sessionAttributes"], slots=slots))
    assert store.records.saves == 2
