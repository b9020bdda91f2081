"""The continuous-audio mode end to end: a device with an AudioPlayer, the skill, real espeak-ng clips.

One utterance starts the circuit and the AudioPlayer's lifecycle events carry it to the end; a paired heart
lengthens the rests it needs to; a pause anywhere resumes in the same clip, a couple of seconds back.
"""

from __future__ import annotations

import hashlib
import random

import pytest

from skill.alexa.player import parse_token
from skill.cli.audio_device import AudioDevice
from skill.cli.envelopes import user_id
from skill.engine.audio_plan import COUNT_IN, MAIN, first_track, step_tracks
from skill.engine.plan import REST, build_plan
from skill.engine.record import PersonRecord
from skill.engine.stream import RESUME_BACK_MS
from tests.functional.audio_fixtures import echo, library

USER = user_id("local-user")


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    return library(tmp_path_factory.mktemp("clips"))


def record(store, content) -> PersonRecord:
    return PersonRecord.from_dict(store.records.load(USER), content)[0]


def parts(device: AudioDevice) -> list[tuple[str, str]]:
    return [(t.step, t.part) for t in map(parse_token, (i.token for i in device.played)) if t is not None]


def test_one_utterance_plays_the_whole_circuit(content, nlu, store, clips) -> None:
    device = echo(content, nlu, store, clips)
    answer = device.chat.say("ask back coach to start my back workout")
    assert answer.ends_session and "outputSpeech" not in answer.response["response"]
    device.play_to_end()
    plan = build_plan(content, "six_minute")
    expected = [(t.step, t.part) for i in range(len(plan.steps)) for t in step_tracks(plan, i)]
    assert parts(device) == expected  # every clip of both rounds, in order, each once
    assert len(device.chat.history) == 1 and device.rejected == []
    kinds = [e.kind.removeprefix("AudioPlayer.") for e in device.events]
    assert kinds.count("PlaybackStarted") == kinds.count("PlaybackFinished") == len(expected)
    assert kinds.count("PlaybackNearlyFinished") == len(expected)
    enqueued = [d for e in device.events for d in e.directives]
    assert all(d["playBehavior"] == "ENQUEUE" and d["audioItem"]["stream"]["expectedPreviousToken"] for d in enqueued)
    assert all(d["audioItem"]["stream"]["url"].startswith("https://coach.example.org/clips/") for d in enqueued)
    assert all(d["audioItem"]["metadata"]["title"] and d["audioItem"]["metadata"]["subtitle"] for d in enqueued)
    finished = record(store, content)
    assert finished.workout.phase == "finished" and [h.status for h in finished.history] == ["finished"]
    [log] = store.logs.logs(hashlib.sha256(USER.encode()).hexdigest())
    assert log["status"] == "finished"
    assert [s["kind"] for s in log["sets"]].count("move") == 16 and [s["kind"] for s in log["sets"]].count("rest") == 1
    # Rebuilt from the clips at the end (clip starts are not written): in order, each a real length, the whole as
    # long as the stream played.
    starts = [s["start_ms"] for s in log["sets"]]
    assert starts == sorted(starts) and all(s["duration_ms"] > 0 for s in log["sets"])
    played_ms = log["finished_at_ms"] - starts[0]
    assert 0.9 * played_ms <= sum(s["duration_ms"] for s in log["sets"]) <= played_ms


def test_a_paired_heart_lengthens_a_rest_that_needs_it_and_not_one_that_does_not(content, nlu, store, clips) -> None:
    device = echo(content, nlu, store, clips, wearable=True)
    device.chat.say("ask back coach to set my recovery heart rate to 100")
    device.chat.say("ask back coach to start the full upper back session")  # asked once what equipment
    device.chat.say("ask back coach to start the full upper back session")  # then every move (a home gym)
    heart = device.chat.wearable.simulated.heart
    plan = build_plan(content, "full_session")
    rests = [s.id for s in plan.steps if s.kind == REST]
    extras: dict[str, int] = {}
    while device.activity == "PLAYING":
        device.play_until(device.now_ms + 1000)
        token = parse_token(device.current.token) if device.current else None
        if token is not None and token.step == rests[1] and token.part == MAIN:
            heart.bpm = 90.0  # a heart that came down quickly in the second rest
    for step, part in parts(device):
        if part.startswith("more"):
            extras[step] = extras.get(step, 0) + 1
    assert extras.get(rests[0], 0) >= 1  # the first rest waited for the heart, fifteen seconds at a time
    assert rests[1] not in extras  # the second did not
    assert all(n * 15 + 30 <= 120 + 15 for n in extras.values())  # never past the cap
    assert record(store, content).workout.phase == "finished"
    rest_parts = [p for s, p in parts(device) if s == rests[0]]
    assert rest_parts[0] == MAIN and rest_parts[-1] == COUNT_IN


def test_a_pause_anywhere_resumes_in_the_same_clip_a_little_before(content, nlu, store, clips) -> None:
    device = echo(content, nlu, store, clips)
    rng = random.Random(15)
    device.chat.say("ask back coach to start my back workout")
    plan = build_plan(content, "six_minute")
    errors = []
    paused_clips = 0
    while device.activity == "PLAYING":
        item = device.current
        pause_at = rng.randint(0, max(0, item.duration_ms - item.offset_ms - 1))
        device.play_until(device.started_at_ms + pause_at)
        if device.current is not item:
            continue
        stopped_at = device.offset()
        device.chat.say("alexa pause")
        saved = record(store, content).workout
        assert device.activity == "STOPPED" and saved.phase == "paused"
        assert (saved.position, saved.track) == (parse_token(item.token).step, parse_token(item.token).part)
        assert saved.offset_ms == stopped_at  # the exact position, not an estimate
        device.chat.say("alexa resume")
        resumed = device.played[-1]
        assert resumed.token.split("~")[3:5] == item.token.split("~")[3:5]
        errors.append(stopped_at - resumed.offset_ms)
        paused_clips += 1
        device.play_until(device.now_ms + 2500)  # past the replayed couple of seconds, into new ground
    assert paused_clips >= len([t for i in range(len(plan.steps)) for t in step_tracks(plan, i)])
    assert all(0 <= e <= RESUME_BACK_MS + 1000 for e in errors) and max(errors) <= 3000
    assert record(store, content).workout.phase == "finished"


def test_questions_mid_stream_are_answered_and_the_stream_goes_on(content, nlu, store, clips) -> None:
    device = echo(content, nlu, store, clips)
    device.chat.say("ask back coach to start my back workout")
    device.play_until(device.now_ms + 30_000)
    item, offset = device.current, device.offset()
    answer = device.chat.say("ask back coach how do I do an I Y T")
    assert "I Y T" in answer.text or "position" in answer.text
    resumed = device.played[-1]
    assert resumed.token.split("~")[3:5] == item.token.split("~")[3:5]
    assert 0 <= offset - resumed.offset_ms <= RESUME_BACK_MS + 1000


def test_built_in_intents_without_a_session_never_fail(content, nlu, store, clips) -> None:
    device = echo(content, nlu, store, clips)
    device.chat.say("ask back coach to start my back workout")
    device.play_until(device.now_ms + 20_000)
    first = parse_token(device.current.token)
    device.chat.say("alexa next")
    assert parse_token(device.current.token).step != first.step
    device.chat.say("alexa previous")
    device.chat.say("alexa repeat")
    assert device.current.offset_ms == 0
    for kind in ("PlaybackController.PauseCommandIssued", "PlaybackController.PlayCommandIssued",
                 "PlaybackController.NextCommandIssued", "PlaybackController.PreviousCommandIssued"):
        device.send(kind, "", 0, device.now_ms)  # no speech allowed: send() checks
    stop = device.chat.say("alexa stop")
    assert stop.ends_session and device.activity == "STOPPED"
    assert record(store, content).workout.phase == "paused"
    plan = build_plan(content, "six_minute")
    assert first_track(plan, 0, intro=True).part == "intro"


def test_speech_mode_is_a_choice_that_is_remembered(content, nlu, store, clips) -> None:
    device = echo(content, nlu, store, clips)
    answer = device.chat.say("ask back coach to use speech mode")
    assert "one part at a time" in answer.text and record(store, content).settings.mode == "speech"
    answer = device.chat.say("ask back coach to start my back workout")
    assert answer.ssml and not answer.response["response"].get("directives") and device.played == []
    device.chat.say("stop")
    device.chat.say("ask back coach to use audio mode")
    assert record(store, content).settings.mode == "audio"
    device.chat.say("ask back coach to start my back workout")
    assert device.played
