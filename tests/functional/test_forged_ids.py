"""Ids are checked where a request comes in: a user, person or device id that is not in Alexa's shape is
refused with a warning that names no id, the apology (or nothing, where Alexa takes no speech), and nothing is
read or written. The probe's forged user id `…B#person#…P` used to read and move B's voice P's workout."""

from __future__ import annotations

import logging

import pytest

from skill.bootstrap import build_app
from skill.cli import envelopes
from skill.cli.chat import Chat
from skill.cli.nlu import Nlu
from skill.content.schema import Content
from skill.speech.prompts import APOLOGY
from skill.storage.stores import Stores
from tests.conftest import START

FORGED_NAME = "B#person#amzn1.ask.person.P"  # the tail that makes the forged user id below
FORGED = envelopes.user_id(FORGED_NAME)
VOICE_KEY = "amzn1.ask.account.B#person#amzn1.ask.person.P"  # B's recognised voice P, as stored


def _voice_mid_workout(store: Stores, content: Content, nlu: Nlu) -> dict:
    """B's voice P starts a workout; the record it stored."""
    owner = Chat(build_app(store, content), nlu, content, user="B", person="P", start_at=START)
    owner.say("ask back coach to start my back workout")
    stored = store.records.load(VOICE_KEY)
    assert stored is not None and stored["workout"]["phase"] == "playing"
    return stored


def test_the_forged_user_id_is_refused_and_moves_nothing(store: Stores, content: Content, nlu: Nlu,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    before = _voice_mid_workout(store, content, nlu)
    assert FORGED == VOICE_KEY  # the forged user id is, character for character, the voice's record key
    forger = Chat(build_app(store, content), nlu, content, user=FORGED_NAME, start_at=START + 600)
    caplog.set_level(logging.INFO)
    for line in ("ask back coach to skip this exercise", "ask back coach to stop", "open back coach"):
        answer = forger.say(line)
        speech = answer.response["response"]["outputSpeech"]
        assert speech == {"type": "PlainText", "text": APOLOGY}, line
        assert "directives" not in answer.response["response"] and "sessionAttributes" not in answer.response
    assert store.records.load(VOICE_KEY) == before  # P's workout did not move
    assert store.records.load(FORGED) == before  # (the same key: nothing was written under it either)
    refused = [r for r in caplog.records if "refused a request" in r.getMessage()]
    assert len(refused) == 3 and all(r.levelno == logging.WARNING for r in refused)
    assert "user id is not an Alexa user id" in refused[0].getMessage()
    assert "#person#" not in caplog.text and "amzn1.ask.account.B" not in caplog.text  # no id in any log line
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize(("user", "person", "device"), [
    ("B", "P#person#amzn1.ask.person.Q", "local-echo"),  # a forged voice
    ("B", "", "local-echo/../../v1/users"),  # a device id that would walk the settings API's path
    ("B", "", "local echo"),
])
def test_a_forged_person_or_device_id_is_refused(store: Stores, content: Content, nlu: Nlu, user: str, person: str,
                                                 device: str) -> None:
    chat = Chat(build_app(store, content), nlu, content, user=user, person=person, device=device, start_at=START)
    answer = chat.say("ask back coach to start my back workout")
    assert answer.response["response"]["outputSpeech"]["text"] == APOLOGY
    assert store.records.load("amzn1.ask.account.B") is None and store.logs.logs("") == []


def test_where_alexa_takes_no_speech_the_refusal_is_empty(store: Stores, content: Content) -> None:
    app = build_app(store, content)
    for kind in ("SessionEndedRequest", "AudioPlayer.PlaybackStopped", "PlaybackController.PlayCommandIssued"):
        request = {"type": kind, "requestId": "amzn1.echo-api.request.1", "timestamp": envelopes.timestamp(START),
                   "locale": "en-US", "reason": "USER_INITIATED", "token": "", "offsetInMilliseconds": 0}
        body = envelopes.envelope(request, user=FORGED, device=envelopes.device_id("local-echo"),
                                  session_id=envelopes.new_session_id(), new_session=False)
        assert app.handle(body) == {"version": "1.0", "response": {}}, kind


def test_real_ids_still_reach_the_same_records(store: Stores, content: Content, nlu: Nlu) -> None:
    """The keys every release stored: a user's own id, and `<user>#person#<person>` for a voice."""
    shared = Chat(build_app(store, content), nlu, content, user="B", start_at=START)
    shared.say("ask back coach to start my back workout")
    assert store.records.load("amzn1.ask.account.B")["workout"]["phase"] == "playing"
    _voice_mid_workout(store, content, nlu)
