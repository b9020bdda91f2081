"""What a person said reaches the speech bounded and clean: control characters, very long values and digits that
are not ASCII never break the SSML or the turn; and nothing is spoken in reply to a SessionEndedRequest."""

from __future__ import annotations

import json
from typing import Any

import pytest
from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.alexa.requests import MAX_SLOT_CHARS
from skill.bootstrap import build_skill
from skill.cli import envelopes
from skill.content.schema import Content
from skill.speech import prompts
from skill.speech.ssml import check
from tests.conftest import START


def invoke(skill: Any, body: dict[str, Any]) -> dict[str, Any]:
    serializer = DefaultSerializer()
    return serializer.serialize(skill.invoke(serializer.deserialize(json.dumps(body), RequestEnvelope), None))


def intent(name: str, slot_name: str, value: str, slot_type: str) -> dict[str, Any]:
    slots = {slot_name: envelopes.slot_value(slot_name, value, None, slot_type)}
    return envelopes.envelope(envelopes.intent_request(name, START, slots), user=envelopes.user_id("u1"),
                              device=envelopes.device_id("d1"), session_id="amzn1.echo-api.session.t",
                              new_session=True)


def explain(skill: Any, heard: str) -> str:
    response = invoke(skill, intent("ExplainExerciseIntent", "EXERCISE", heard, "EXERCISE"))
    return response["response"]["outputSpeech"]["ssml"]


@pytest.mark.parametrize("heard", ["dead\x00lift", "row\x1b[31m", "fly\x0b\x0c", "pull\ud800up", "curl\ufffe",
                                   "press\x7f\x85", "tab\there", "<b>&amp;</b>"])
def test_control_characters_in_a_slot_give_valid_ssml(content: Content, store: Any, heard: str) -> None:
    ssml = explain(build_skill(store, content), heard)
    assert check(ssml) == [], ssml
    assert prompts.APOLOGY not in ssml


def test_a_very_long_slot_value_is_not_echoed_in_full(content: Content, store: Any) -> None:
    ssml = explain(build_skill(store, content), "burpee " * 3000)
    assert check(ssml) == [] and ssml.count("burpee") <= MAX_SLOT_CHARS // len("burpee ") + 1
    assert len(ssml) < 2000


@pytest.mark.parametrize("spoken", ["²", "4²", "١٢", "３０", "-5", "1e3", "12345", " 45 "])
def test_digits_that_are_not_ascii_in_a_number_slot_do_not_raise(content: Content, store: Any, spoken: str) -> None:
    response = invoke(build_skill(store, content), intent("SetAgeIntent", "AGE", spoken, "AMAZON.NUMBER"))
    ssml = response["response"]["outputSpeech"]["ssml"]
    assert prompts.APOLOGY not in ssml and check(ssml) == []


@pytest.mark.parametrize("reason", ["USER_INITIATED", "ERROR", "EXCEEDED_MAX_REPROMPTS"])
def test_no_speech_in_reply_to_session_ended_even_when_the_turn_fails(content: Content, store: Any,
                                                                      monkeypatch: pytest.MonkeyPatch,
                                                                      reason: str) -> None:
    from skill.turn.loop import Turn

    def boom(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("bug")

    monkeypatch.setattr(Turn, "run", boom)
    body = envelopes.envelope(envelopes.session_ended_request(reason, START), user=envelopes.user_id("u1"),
                              device=envelopes.device_id("d1"), session_id="s", new_session=False)
    response = invoke(build_skill(store, content), body)["response"]
    assert "outputSpeech" not in response and "reprompt" not in response
