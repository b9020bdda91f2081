"""Records written by earlier releases, and by today's code under other content, load and resume in place."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from skill.bootstrap import build_app
from skill.cli import envelopes
from skill.cli.chat import Chat
from skill.content.schema import Content, WorkoutMove
from skill.engine.plan import build_plan
from skill.engine.record import SCHEMA, PersonRecord
from skill.storage.stores import Stores

RECORDS = Path(__file__).resolve().parents[1] / "data" / "records"
USER = "local-user"


def stored(store: Stores, name: str) -> dict:
    """A captured record of the first release (schema 0), saved as that release saved it."""
    data = json.loads((RECORDS / f"v0-{name}.json").read_text())
    store.records.save(envelopes.user_id(USER), {k: v for k, v in data.items() if k != "version"}, 1)
    return data


@pytest.mark.parametrize("name", ["paused-mid-circuit", "playing-after-a-finished-workout"])
def test_a_record_of_the_first_release_resumes_at_the_same_place(content: Content, nlu, store, name: str) -> None:
    data = stored(store, name)
    workout = data["workout"]
    # The first release said, for both: "on the single arm pulldown, left arm" (captured when they were saved).
    chat = Chat(build_app(store, content), nlu, content,
                start_at=(workout["response_at_ms"] or workout["updated_at_ms"]) / 1000 + 100)
    where = chat.say("where am I")
    assert "on the single arm pulldown, left arm" in where.text
    resumed = chat.say("resume")
    assert resumed.workout.timeline[0].step == "r1.single_arm_mini_loop_pulldown.s1.left"
    saved = store.records.load(envelopes.user_id(USER))
    assert saved["schema"] == SCHEMA and saved["workout"]["position"]  # written back in today's shape
    assert len(saved["history"]) == len(data["history"]) and saved["settings"] == data["settings"]


def test_the_first_releases_history_counts_sets_as_today(content: Content) -> None:
    data = json.loads((RECORDS / "v0-playing-after-a-finished-workout.json").read_text())
    record, dropped = PersonRecord.from_dict(data, content)
    assert dropped == [] and record.settings.age == 45
    assert [h.sets for h in record.history] == [16]  # a grip, an arm or a letter is a set, as in the FIT export
    assert record.workout is not None and record.workout.finished_at_ms == 0


def with_extra_move(content: Content) -> Content:
    """The circuit with one more move at its start: every index into the built plan shifts."""
    circuit = content.workouts["six_minute"]
    extra = WorkoutMove(exercise="scapular_push_ups", reps=8)
    changed = dataclasses.replace(circuit, move=(extra, *circuit.move))
    return dataclasses.replace(content, workouts={**content.workouts, "six_minute": changed})


def test_a_saved_place_survives_a_content_edit_that_adds_a_move(content: Content, nlu, store) -> None:
    chat = Chat(build_app(store, content), nlu, content, start_at=1_795_000_000)
    started = chat.say("start my back workout")
    third = started.workout.timeline[2]
    chat.say(f"@{third.start_ms // 1000 + 3} pause")
    edited = with_extra_move(content)
    assert build_plan(edited, "six_minute").index(third.step) != build_plan(content, "six_minute").index(third.step)
    later = Chat(build_app(store, edited), nlu, edited, start_at=1_795_000_600)
    resumed = later.say("ask back coach to resume")
    assert resumed.workout.timeline[0].step == third.step  # the same move, wherever it now sits in the plan


# Records written by the release before the one-turn refactor (issue 26), captured from real conversations: a
# full session stopped at its third set of rows (a history of three workouts, a slower tempo, equipment told), and
# an audio-mode workout stopped 22.9 s into the underhand pull aparts.
V2 = {
    "v2-paused-in-the-full-session": ("about to start the bent over dumbbell row, set three of three",
                                      "r1.bentover_dumbbell_row.s3.-"),
    "v2-audio-stopped-mid-clip": ("on the band pull apart, underhand grip", "r1.band_pull_apart.s1.underhand-grip"),
}


def stored_v2(store: Stores, name: str) -> dict:
    data = json.loads((RECORDS / f"{name}.json").read_text())
    store.records.save(envelopes.user_id(USER), {k: v for k, v in data.items() if k != "version"}, 1)
    return data


@pytest.mark.parametrize("name", sorted(V2))
def test_a_record_of_the_release_before_resumes_in_place(content: Content, nlu, store, name: str) -> None:
    data = stored_v2(store, name)
    record, dropped = PersonRecord.from_dict(data, content)
    assert dropped == [] and record.to_dict() == {k: v for k, v in data.items() if k != "version"}
    said, step = V2[name]
    chat = Chat(build_app(store, content), nlu, content, start_at=data["workout"]["updated_at_ms"] / 1000 + 600)
    assert said in chat.say("where am I").text
    resumed = chat.say("resume")
    assert resumed.workout.timeline[0].step == step
    saved = store.records.load(envelopes.user_id(USER))
    assert saved["history"] == data["history"] and saved["settings"] == data["settings"]
    assert set(data["taught"]) <= set(saved["taught"])  # lessons taught stay taught


def test_an_audio_record_of_the_release_before_plays_on_from_its_offset(content: Content, nlu, store,
                                                                          tmp_path: Path) -> None:
    from skill.alexa.player import parse_token
    from tests.golden import RecordingClips

    data = stored_v2(store, "v2-audio-stopped-mid-clip")
    recorder = RecordingClips()
    from skill.audio.clips import ClipLibrary
    from skill.cli.audio_device import AudioDevice

    library = ClipLibrary(recorder, recorder)
    chat = Chat(build_app(store, content, clips=library), nlu, content,
                start_at=data["workout"]["updated_at_ms"] / 1000 + 30)
    device = AudioDevice(chat, recorder.duration_ms)
    chat.say("ask back coach to resume")
    token = parse_token(device.played[0].token)
    assert (token.step, token.part) == ("r1.band_pull_apart.s1.underhand-grip", "main")
    assert device.played[0].offset_ms == data["workout"]["offset_ms"] - 2000
