"""The interaction models: slot types generated from the content data, one model file per locale.

interaction_models/en-US.json is where intents and sample utterances are edited; `backcoach model` copies it
to the other English locales and regenerates every slot type from the content, and a test fails if the
committed files ever disagree with what it would write.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from skill.content.lookup import exercise_names, letters_said, normalize
from skill.content.schema import Content

LOCALES = ("en-US", "en-GB", "en-CA", "en-AU", "en-IN")
SOURCE_LOCALE = "en-US"
INVOCATION_NAME = "back coach"
MODELS_DIR = Path(__file__).resolve().parents[2] / "interaction_models"
# Name-free interaction (the NFI toolkit's `_nameFreeInteraction`): phrases said without "ask back coach" that
# Alexa may route to the skill once it is live (Amazon trains on them after publication, for skills it finds
# eligible). LAUNCH opens the skill; INTENT goes straight to that intent. Each phrase is complete, carries no
# slot reference, at most five per ingress point, and is one the skill's own model resolves (a test checks).
NAME_FREE_LAUNCH = ("coach my upper back workout", "I want to train my upper back")
NAME_FREE_INTENTS: dict[str, tuple[str, ...]] = {
    "StartWorkoutIntent": ("start my back workout", "start my upper back workout", "work out my back",
                           "train my back"),
    "ExplainExerciseIntent": ("how do I do a band pull apart", "how do I do a face pull"),
}


def name_free_interaction() -> dict[str, Any]:
    """The interaction model's `_nameFreeInteraction` container (beside `languageModel`)."""
    def phrases(said: tuple[str, ...]) -> list[dict[str, str]]:
        return [{"format": "RAW_TEXT", "value": value} for value in said]

    points: list[dict[str, Any]] = [{"type": "LAUNCH", "sampleUtterances": phrases(NAME_FREE_LAUNCH)}]
    points += [{"type": "INTENT", "name": name, "sampleUtterances": phrases(said)}
               for name, said in NAME_FREE_INTENTS.items()]
    return {"ingressPoints": points}


def _value(value_id: str, names: list[str]) -> dict[str, Any]:
    spoken = list(dict.fromkeys(normalize(n) for n in names if normalize(n)))
    return {"id": value_id, "name": {"value": spoken[0], "synonyms": spoken[1:]}}


def slot_types(content: Content) -> list[dict[str, Any]]:
    """EXERCISE, WORKOUT, EQUIPMENT and IYT_LETTER, with ids the skill resolves back to content."""
    exercises = [
        _value(ex.id, [ex.spoken_name, *exercise_names(ex)]) for ex in content.exercises.values()
    ]
    workouts = [_value(w.id, [w.spoken_name, w.name, *w.synonyms]) for w in content.workouts.values()]
    equipment = [_value(eq, [eq, *words]) for eq, words in content.guide.equipment.items()]
    return [
        {"name": "EXERCISE", "values": exercises},
        {"name": "WORKOUT", "values": workouts},
        {"name": "EQUIPMENT", "values": equipment},
        {"name": "IYT_LETTER", "values": [{"id": letter, "name": {"value": letter, "synonyms": said[1:]}}
                                          for letter, said in letters_said(content).items()]},
    ]


def build_models(source: dict[str, Any], content: Content) -> dict[str, dict[str, Any]]:
    """Every locale's model: the source model's intents, this skill's invocation name, generated slot types."""
    models = {}
    for locale in LOCALES:
        model = json.loads(json.dumps(source))
        language = model["interactionModel"]["languageModel"]
        language["invocationName"] = INVOCATION_NAME
        generated = slot_types(content)
        names = {t["name"] for t in generated}  # types the source model defines itself (REMINDER_DAYS) stay
        language["types"] = generated + [t for t in language.get("types", []) if t["name"] not in names]
        model["interactionModel"]["_nameFreeInteraction"] = name_free_interaction()
        models[locale] = model
    return models


def model_path(locale: str, directory: Path = MODELS_DIR) -> Path:
    return directory / f"{locale}.json"


def load_model(locale: str = SOURCE_LOCALE, directory: Path = MODELS_DIR) -> dict[str, Any]:
    return json.loads(model_path(locale, directory).read_text(encoding="utf-8"))


def render(model: dict[str, Any]) -> str:
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def write_models(content: Content, directory: Path = MODELS_DIR) -> list[Path]:
    models = build_models(load_model(SOURCE_LOCALE, directory), content)
    paths = []
    for locale, model in models.items():
        path = model_path(locale, directory)
        path.write_text(render(model), encoding="utf-8")
        paths.append(path)
    return paths


def stale_models(content: Content, directory: Path = MODELS_DIR) -> list[str]:
    """Locales whose committed model differs from what `write_models` would write."""
    models = build_models(load_model(SOURCE_LOCALE, directory), content)
    return [
        locale for locale, model in models.items()
        if not model_path(locale, directory).exists()
        or model_path(locale, directory).read_text(encoding="utf-8") != render(model)
    ]
