"""The interaction models: generated slot types agree with the content; intents agree with the handlers."""

from __future__ import annotations

import json

from skill.alexa.handlers import HANDLED_INTENTS
from skill.alexa.interaction_model import LOCALES, MODELS_DIR, load_model, slot_types, stale_models
from skill.content.lookup import exercise_names, normalize
from skill.content.schema import Content

REQUIRED_BUILT_INS = {
    "AMAZON.HelpIntent", "AMAZON.StopIntent", "AMAZON.CancelIntent", "AMAZON.NavigateHomeIntent",
    "AMAZON.FallbackIntent", "AMAZON.NextIntent", "AMAZON.PreviousIntent", "AMAZON.RepeatIntent",
    "AMAZON.PauseIntent", "AMAZON.ResumeIntent", "AMAZON.StartOverIntent",
}


def test_committed_models_are_what_the_generator_writes(content: Content) -> None:
    assert stale_models(content) == []


def test_every_locale_has_the_invocation_name_and_the_content_slot_types(content: Content) -> None:
    expected = slot_types(content)
    for locale in LOCALES:
        model = json.loads((MODELS_DIR / f"{locale}.json").read_text(encoding="utf-8"))["interactionModel"]
        language = model["languageModel"]
        assert language["invocationName"] == "back coach"
        assert language["types"][: len(expected)] == expected
        # Types the source model defines itself (not from the content) follow, unchanged.
        assert [t["name"] for t in language["types"][len(expected):]] == ["REMINDER_DAYS"]


def test_exercise_slot_values_cover_every_name_of_every_exercise(content: Content) -> None:
    values = {v["id"]: v for t in load_model()["interactionModel"]["languageModel"]["types"]
              if t["name"] == "EXERCISE" for v in t["values"]}
    assert set(values) == set(content.exercises)
    for ex in content.exercises.values():
        said = {values[ex.id]["name"]["value"], *values[ex.id]["name"]["synonyms"]}
        assert {normalize(n) for n in exercise_names(ex)} <= said


def test_intents_and_handlers_agree() -> None:
    intents = {i["name"] for i in load_model()["interactionModel"]["languageModel"]["intents"]}
    assert intents == set(HANDLED_INTENTS)
    assert intents >= REQUIRED_BUILT_INS


def test_sample_slots_are_declared() -> None:
    for intent in load_model()["interactionModel"]["languageModel"]["intents"]:
        declared = {s["name"] for s in intent.get("slots", [])}
        for sample in intent.get("samples", []):
            used = {w.strip("{}") for w in sample.split() if w.startswith("{")}
            assert used <= declared, (intent["name"], sample)
