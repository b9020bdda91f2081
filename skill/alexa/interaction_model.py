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
