"""The workout log: what was done, kept when a workout finishes or is abandoned, exported as FIT (decoded by
Garmin's own SDK) and TCX (validated against Garmin's schema), and answered by voice."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from garmin_fit_sdk import Decoder, Profile, Stream
from lxml import etree

from skill.activity.export import fit_names, to_fit, to_tcx
from skill.bootstrap import build_app
from skill.cli.chat import Chat, WearableLink
from skill.cli.envelopes import user_id
from skill.content.schema import Content
from tests.conftest import START

XSD = Path(__file__).resolve().parents[1] / "data" / "TrainingCenterDatabasev2.xsd"
PERSON = hashlib.sha256(user_id("local-user").encode()).hexdigest()


@pytest.fixture
def watched(content: Content, nlu, store) -> Chat:
    """A chat with a paired simulated watch whose readings go through the sync API's rules."""
    link = WearableLink.in_process(store)
    chat = Chat(build_app(store, content), nlu, content, start_at=START, wearable=link)
    link.pair(chat)
    return chat


def finish_circuit(chat: Chat) -> None:
    answer = chat.say("start my back workout")
    while not answer.ends_session:
        answer = chat.say("next")


def test_a_finished_circuit_is_logged_and_exports_to_a_fit_file_garmin_reads(watched: Chat, store) -> None:
    finish_circuit(watched)
    [log] = store.logs.logs(PERSON)
    moves = [s for s in log["sets"] if s["kind"] == "move"]
    rests = [s for s in log["sets"] if s["kind"] == "rest"]
    assert log["status"] == "finished" and len(moves) == 16 and len(rests) == 1
    assert rests[0]["duration_ms"] >= 30_000
    samples = store.samples.recent_samples(PERSON, log["started_at_ms"])
    data = to_fit(log, samples)
    assert Decoder(Stream.from_byte_array(bytearray(data))).check_integrity()
    messages, errors = Decoder(Stream.from_byte_array(bytearray(data))).read()
    assert errors == []
    sets = messages["set_mesgs"]
    assert len(sets) == len(log["sets"])
    names = Profile["types"]
    for logged, decoded in zip(log["sets"], sets, strict=True):
        assert decoded["duration"] == pytest.approx(logged["duration_ms"] / 1000, abs=0.001)
        if logged["kind"] == "move":
            category, subtype = fit_names(logged["exercise"], logged["part_index"])
            assert decoded["set_type"] == "active" and decoded["repetitions"] == logged["reps"]
            assert decoded["category"] == category
            assert names[f"{category}_exercise_name"][decoded["category_subtype"]] == subtype
        else:
            assert decoded["set_type"] == "rest"
    [session] = messages["session_mesgs"]
    assert (session["sport"], session["sub_sport"]) == ("training", "strength_training")
    expected = (log["finished_at_ms"] - log["started_at_ms"]) / 1000
    assert session["total_elapsed_time"] == pytest.approx(expected, abs=0.01)
    assert len(messages["lap_mesgs"]) == 1 and len(messages["activity_mesgs"]) == 1
    in_window = [s for s in samples if log["started_at_ms"] <= s[0] <= log["finished_at_ms"]]
    assert len(messages["record_mesgs"]) == len(in_window) > 100
    assert session["max_heart_rate"] == max(b for _, b in in_window)


def test_tcx_export_validates_against_garmins_schema(watched: Chat, store) -> None:
    finish_circuit(watched)
    [log] = store.logs.logs(PERSON)
    document = etree.fromstring(to_tcx(log, store.samples.recent_samples(PERSON, log["started_at_ms"])))
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(document), schema.error_log
    laps = document.findall(".//{*}Lap")
    assert len(laps) == len(log["sets"])
    assert laps[0].find("{*}Notes").text == "Band Pull Apart, overhand grip: 10 reps"


def test_an_abandoned_workout_is_logged_with_what_was_done(watched: Chat, store) -> None:
    started = watched.say("start my back workout")
    third = started.workout.timeline[2]
    watched.say(f"@{third.start_ms // 1000 + 5} next")  # cut the left arm short: it still counts
    watched.say("@3 start over")  # three seconds into the right arm: not done
    [log] = store.logs.logs(PERSON)
    assert log["status"] == "abandoned"
    assert [(s["exercise"], s["part"]) for s in log["sets"]] == [
        ("band_pull_apart", "overhand grip"), ("band_pull_apart", "underhand grip"),
        ("single_arm_mini_loop_pulldown", "left")]
    # requests carry whole seconds: the set lasted from its start to the "next" five seconds on
    assert log["sets"][2]["duration_ms"] == (third.start_ms // 1000 + 5) * 1000 - third.start_ms


def test_history_by_voice(watched: Chat) -> None:
    assert "haven't done a workout" in watched.say("how many workouts did I do this week").text
    finish_circuit(watched)
    answer = watched.say("how many workouts did I do this week")
    assert answer.text.startswith("You've done one workout this week; the plan is five days a week.")
    assert "Last time, today, you did the six minute upper back workout with sixteen sets" in answer.text
