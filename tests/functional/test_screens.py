"""Echo Show and Fire TV: the screen each phase gets, touches that act as the voice does, devices without a
screen untouched (sizes: test_response_size)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from skill.alexa.screens import FOREVER_MS
from skill.bootstrap import build_app
from skill.cli.chat import Chat
from skill.cli.nlu import Nlu
from skill.cli.screen_text import screen_line
from skill.content.schema import Content
from skill.engine.plan import build_plan
from skill.speech import prompts
from skill.storage.stores import Stores, sqlite_stores
from tests.conftest import START
from tests.screens import TOUR, renders, run, show_chat

REPO = Path(__file__).resolve().parents[2]


def _data(exchange, token: str) -> dict:
    found = renders(exchange)
    assert len(found) == 1, exchange.said
    assert found[0]["token"] == f"backcoach.{token}", (exchange.said, found[0]["token"])
    return found[0]["datasources"]["coach"]


def test_a_device_without_a_screen_gets_exactly_what_it_got_before(content: Content, nlu: Nlu) -> None:
    """The same conversation on a speaker and on a Show: byte for byte the same response, apart from directives."""
    speaker_store, show_store = sqlite_stores(), sqlite_stores()
    lines = tuple(line.replace("tap ", "") for line in TOUR if line != "pair my watch")  # a code drawn at random
    speaker = run(show_chat(speaker_store, content, nlu, device_kind="speaker"), lines)
    show = run(show_chat(show_store, content, nlu), lines)
    assert len(speaker) == len(show)
    for plain, screen in zip(speaker, show, strict=True):
        assert "directives" not in plain.response["response"], plain.said
        body = {k: v for k, v in screen.response["response"].items() if k != "directives"}
        without = {**screen.response, "response": body}
        assert json.dumps(plain.response, sort_keys=True) == json.dumps(without, sort_keys=True), plain.said
        if screen.request["request"]["type"] != "SessionEndedRequest":
            assert renders(screen), screen.said  # every answer replaces the screen: no stale counter runs on
    speaker_store.close()
    show_store.close()


def test_each_phase_gets_its_screen(content: Content, nlu: Nlu, store: Stores) -> None:
    chat = show_chat(store, content, nlu)
    home = _data(chat.say("open back coach"), "card")
    assert home["title"] == prompts.SCREEN_HOME

    started = _data(chat.say("start my back workout"), "workout")
    first = started["panels"][0]
    assert (first["title"], first["detail"], first["kind"]) == ("Band Pull Apart", "Overhand grip", "move")
    assert first["header"] == "6 Minute Upper Back Workout · Round 1 of 2" and first["progress"] == 0
    assert first["next"] == "Next: Band Pull Apart · Underhand grip"
    assert [r["n"] for r in first["reps"]] == list(range(11)) and first["caption"] == "of 10 reps"
    assert [b["event"] for b in started["buttons"]] == ["pause", "next", "repeat"]

    # A question mid-set replaces the running counter with the step the person is at.
    seg = chat.history[-1].workout.timeline[1]
    still = _data(chat.say(f"@{seg.start_ms // 1000 + 3} where am I"), "workout")
    assert [p["kind"] for p in still["panels"]] == ["still"] and still["panels"][0]["to"] == FOREVER_MS
    assert still["panels"][0]["detail"] == "Underhand grip"

    paused = _data(chat.say("pause"), "workout")
    assert paused["panels"][0]["caption"] == prompts.SCREEN_PAUSED
    assert [b["event"] for b in paused["buttons"]] == ["resume", "next", "repeat"]

    cues = _data(chat.say("how do I do a band pull apart"), "card")
    exercise = content.exercises["band_pull_apart"]
    assert cues["title"] == exercise.name and cues["items"] == list(exercise.cues)

    resumed = _data(chat.say("resume"), "workout")
    rests = [p for p in resumed["panels"] if p["kind"] == "rest"]  # the rest may come in this response already
    while not rests:
        rests = [p for p in _data(chat.say("next"), "workout")["panels"] if p["kind"] == "rest"]
    rest = rests[0]
    assert rest["restSeconds"] == 30 and rest["title"] == prompts.SCREEN_REST
    assert rest["next"].startswith("Next: Band Pull Apart")

    last = None
    while last is None or not last.ends_session:
        last = chat.say("next")
    done = renders(last)[0]["datasources"]["coach"]
    if renders(last)[0]["token"] == "backcoach.workout":
        done = done["panels"][-1]
        assert done["kind"] == "done"
    assert done["title"] == prompts.SCREEN_DONE
    plan = build_plan(content, "six_minute")
    assert prompts.SCREEN_SETS.format(sets=plan.move_count()) in done["lines"]
    assert done["week"]["caption"] == prompts.SCREEN_WEEK.format(count=1, days=5)
    assert [d["state"] for d in done["week"]["days"]].count("done") == 1

    week = _data(chat.say("ask back coach how many workouts did I do this week"), "summary")
    assert week["title"] == prompts.SCREEN_THIS_WEEK and len(week["week"]["days"]) == 7
    today = next(d for d in week["week"]["days"] if d["today"])
    assert today["state"] == "done"


def _touch_and_voice(content: Content, nlu: Nlu, voice: str, touch: str, at: int) -> tuple[Chat, Chat]:
    chats = []
    for line in (voice, touch):
        chat = Chat(build_app(sqlite_stores(), content), nlu, content, start_at=START, device_kind="show")
        chat.say("start my back workout")
        chat.say(f"@{at} {line}")
        chats.append(chat)
    return chats[0], chats[1]


def test_a_touch_moves_the_workout_exactly_as_the_voice_does(content: Content, nlu: Nlu) -> None:
    for voice, touch, at in (("pause", "tap pause", 20), ("next", "tap next", 20), ("repeat", "tap repeat", 75),
                             ("next", "tap next", 300)):
        spoken, touched = _touch_and_voice(content, nlu, voice, touch, at)
        said, tapped = spoken.history[-1], touched.history[-1]
        assert tapped.request["request"]["type"] == "Alexa.Presentation.APL.UserEvent"
        assert tapped.ssml == said.ssml and tapped.ends_session == said.ends_session, voice
        assert tapped.workout == said.workout, voice


def test_the_stored_record_after_a_touch_matches_the_voice(content: Content, nlu: Nlu) -> None:
    records = []
    for line in ("pause", "tap pause"):
        store = sqlite_stores()
        chat = Chat(build_app(store, content), nlu, content, start_at=START, device_kind="show")
        chat.say("start my back workout")
        chat.say(f"@25 {line}")
        records.append(store.records.load("amzn1.ask.account.local-user"))
        store.close()
    assert records[0] == records[1] and records[0]["workout"]["phase"] == "paused"


def test_a_touch_the_documents_cannot_send_leaves_screen_and_place_as_they_were(content: Content, nlu: Nlu,
                                                                              store: Stores, caplog) -> None:
    chat = show_chat(store, content, nlu)
    chat.say("start my back workout")
    before = store.records.load("amzn1.ask.account.local-user")
    with caplog.at_level("INFO"):
        touched = chat.say("@20 tap dance")
    response = touched.response["response"]
    assert touched.request["request"]["type"] == "Alexa.Presentation.APL.UserEvent"
    assert "outputSpeech" not in response and not response.get("directives")  # nothing said, the screen kept
    assert store.records.load("amzn1.ask.account.local-user") == before
    levels = {r.levelname for r in caplog.records}
    assert "ERROR" not in levels
    warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING" and "touch" in r.getMessage()]
    assert warned == ["touch not understood argument=dance"]
    assert chat.say("next").workout != before["workout"]  # the workout goes on from where it was


def test_the_chat_prints_one_line_per_screen(content: Content, nlu: Nlu, store: Stores) -> None:
    shown: list[str] = []
    chat = Chat(build_app(store, content), nlu, content, start_at=START, device_kind="show", show=shown.append)
    chat.say("start my back workout")
    chat.say("how do I do the i y t")
    lines = [line for line in shown if line.strip().startswith("screen:")]
    assert len(lines) == 2
    assert "Band Pull Apart (Overhand grip) counts 0-10" in lines[0] and "[Pause | Next | Repeat]" in lines[0]
    assert lines[1].strip().startswith("screen: I-Y-T:")
    assert screen_line(chat.history[0].response) in lines[0]


def test_documents_ship_with_the_package_and_the_manifest_declares_apl() -> None:
    for name in ("workout", "card", "summary"):
        document = json.loads(resources.files("skill.content").joinpath("apl", f"{name}.json").read_text())
        assert document["type"] == "APL" and document["version"] == "2024.2"
        assert {"name": "alexa-viewport-profiles", "version": "1.6.0"} in document["import"]
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"content/apl/*.json"' in pyproject
    manifest = json.loads((REPO / "infrastructure" / "skill.json").read_text(encoding="utf-8"))["manifest"]
    apl = [i for i in manifest["apis"]["custom"]["interfaces"] if i["type"] == "ALEXA_PRESENTATION_APL"]
    assert len(apl) == 1
    viewports = apl[0]["supportedViewports"]
    assert {(v["mode"], v["shape"]) for v in viewports} == {("HUB", "ROUND"), ("HUB", "RECTANGLE"), ("TV", "RECTANGLE")}


def test_the_end_screen_shows_the_heart_rate_a_paired_watch_sent(content: Content, nlu: Nlu, store: Stores) -> None:
    import hashlib

    chat = show_chat(store, content, nlu)
    chat.say("ask back coach to pair my watch")
    person = hashlib.sha256(b"amzn1.ask.account.local-user").hexdigest()
    start_ms = int(START * 1000)
    samples = [(start_ms + i * 5000, 96 + i % 9) for i in range(0, 12 * 60)]  # an hour of a calm heart
    store.samples.put_samples(person, samples, int(START))
    chat.say("ask back coach to start my back workout")
    last = chat.history[-1]
    while not last.ends_session:
        last = chat.say("next")
    render = renders(last)[0]["datasources"]["coach"]
    done = render["panels"][-1] if "panels" in render else render
    heart = [line for line in done["lines"] if line.startswith("Heart rate")]
    assert len(heart) == 1 and heart[0].endswith("104 peak")
