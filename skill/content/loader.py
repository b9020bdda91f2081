"""Loads and validates the content files once; a broken file stops start-up with a precise message."""

from __future__ import annotations

import dataclasses
import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from skill.content import voice
from skill.content.schema import Content, ContentError, Exercise, Guide, Workout, build

CONTENT_DIR = Path(__file__).parent
EXERCISES_FILE = "exercises.toml"
WORKOUTS_FILE = "workouts.toml"
GUIDE_FILE = "guide.toml"


@cache
def load_content(directory: Path = CONTENT_DIR, language: str = "en") -> Content:
    """The validated content of `directory` in `language`; cached, so every caller shares one copy."""
    exercises = [
        build(Exercise, raw, f"{EXERCISES_FILE}: exercise")
        for raw in _items(directory, EXERCISES_FILE, "exercise")
    ]
    workouts = [
        build(Workout, raw, f"{WORKOUTS_FILE}: workout") for raw in _items(directory, WORKOUTS_FILE, "workout")
    ]
    numbered = tuple(ex.id for ex in sorted(exercises, key=lambda ex: ex.number) if ex.in_article_list)
    workouts = [dataclasses.replace(w, from_exercises=numbered) if w.from_numbered_exercises else w
                for w in workouts]
    guide = build(Guide, _read(directory, GUIDE_FILE), f"{GUIDE_FILE}: guide")
    content = Content(
        exercises={e.id: e for e in exercises},
        workouts={w.id: w for w in workouts},
        guide=guide,
    )
    _check_exercises(exercises, guide)
    _check_guide(guide)
    _check_ladders(guide, content)
    _check_workouts(workouts, content)
    _check_letter_words(guide, exercises)
    return content


def _read(directory: Path, name: str) -> dict[str, Any]:
    path = directory / name
    try:
        with path.open("rb") as f:
            return tomllib.load(f)
    except FileNotFoundError:
        raise ContentError(f"{name}: file not found in {directory}") from None
    except tomllib.TOMLDecodeError as e:
        raise ContentError(f"{name}: not valid TOML: {e}") from None


def _items(directory: Path, name: str, key: str) -> list[Any]:
    data = _read(directory, name)
    items = data.get(key)
    if not isinstance(items, list) or not items:
        raise ContentError(f"{name}: field '{key}': expected one or more [[{key}]] tables")
    return items


def _fail(file: str, kind: str, item_id: str, field: str, problem: str) -> ContentError:
    return ContentError(f"{file}: {kind} '{item_id}': field '{field}': {problem}")


def _check_exercises(exercises: list[Exercise], guide: Guide) -> None:
    seen_ids: set[str] = set()
    seen_names: dict[str, str] = {}
    for ex in exercises:
        fail = lambda fld, problem, ex=ex: _fail(EXERCISES_FILE, "exercise", ex.id, fld, problem)  # noqa: E731
        if ex.id in seen_ids:
            raise fail("id", "used by another exercise")
        seen_ids.add(ex.id)
        _check_voice(ex, fail)
        for equipment in ex.equipment:
            if equipment not in guide.equipment:
                raise fail("equipment", f"unknown equipment '{equipment}' (see {GUIDE_FILE} [equipment])")
        try:
            ex.phases  # noqa: B018 - parsed here so a typo stops start-up, not a workout
        except ValueError as e:
            raise fail("tempo", str(e)) from None
        if len(ex.letters) != len(ex.letter_cues):
            raise fail("letter_cues", "needs one line per letter, and only for an exercise with letters")
        if ex.sides and ex.letters:
            raise fail("sides", "an exercise has sides or letters, not both")
        if ex.in_article_list:
            if ex.prescription is None:
                raise fail("prescription", "missing for an exercise of the article's list")
            p = ex.prescription
            if p.sets < 1 or p.reps_min < 1 or p.reps_min > p.reps_max:
                raise fail("prescription", f"sets and reps must be positive with reps_min <= reps_max, got {p}")
            if p.per_arm != bool(ex.sides):
                raise fail("sides", "a per-arm prescription needs the order of the sides, and only then")
        for name in (ex.name, ex.spoken_name, *ex.synonyms):
            key = name.casefold()
            if seen_names.setdefault(key, ex.id) != ex.id:
                raise fail("synonyms", f"'{name}' is also a name of '{seen_names[key]}'")


def _count(items: tuple[str, ...] | list[str], bounds: tuple[int, int], what: str) -> str:
    low, high = bounds
    if low <= len(items) <= high:
        return ""
    return f"needs {low} to {high} {what}, got {len(items)}"


def _check_voice(ex: Exercise, fail: Any) -> None:
    """The voice rules (skill/content/voice.py), for every line of the exercise that is spoken."""
    counts = {
        "setup": _count(voice.sentences(ex.setup), voice.SETUP_SENTENCES, "sentences"),
        "cues": _count(ex.cues, voice.CUES, "movement cues"),
        "cautions": _count(ex.cautions, voice.CAUTIONS, "cautions"),
        "key_cue": _count(voice.sentences(ex.key_cue), (1, 1), "sentence"),
    }
    for field, problem in counts.items():
        if problem:
            raise fail(field, problem)
    fields: list[tuple[str, str]] = [("setup", ex.setup), ("key_cue", ex.key_cue)]
    fields += [(f"cues[{i}]", s) for i, s in enumerate(ex.cues)]
    fields += [(f"cautions[{i}]", s) for i, s in enumerate(ex.cautions)]
    fields += [(f"letter_cues[{i}]", s) for i, s in enumerate(ex.letter_cues)]
    if ex.prescription is not None and ex.prescription.modifier:
        fields.append(("prescription.modifier", ex.prescription.modifier))
    for field, text in fields:
        problems = voice.problems(text)
        if problems:
            raise fail(field, f"{problems[0]}: {text!r}")
        if field.startswith(("cues", "cautions", "letter_cues")) and len(voice.sentences(text)) != 1:
            raise fail(field, f"one sentence per cue: {text!r}")


def _check_guide(guide: Guide) -> None:
    lines = [("guide", "frequency", guide.frequency), ("guide", "weekly_exercises", guide.weekly_exercises)]
    lines += [(f"progression '{p.id}'", "description", p.description) for p in guide.progression]
    lines += [(f"progression '{p.id}'", "cue", p.cue) for p in guide.progression if p.cue]
    for item, field, text in lines:
        problems = voice.problems(text)
        if problems:
            raise ContentError(f"{GUIDE_FILE}: {item}: field '{field}': {problems[0]}: {text!r}")
    names = [("muscles", m) for m in (*guide.muscles, *guide.muscles_minor)]
    names += [("progression", p.name) for p in guide.progression]
    for field, name in names:
        if any(c in name for c in "()[]{}/0123456789"):
            raise ContentError(f"{GUIDE_FILE}: guide: field '{field}': {name!r}: no parentheses or digits in a name")


def _check_letter_words(guide: Guide, exercises: list[Exercise]) -> None:
    letters = {letter for ex in exercises for letter in ex.letters}
    for letter, words in guide.letter_words.items():
        if letter not in letters:
            raise ContentError(f"{GUIDE_FILE}: letter_words: field '{letter}': no exercise has that letter")
        if not words or not all(words):
            raise ContentError(f"{GUIDE_FILE}: letter_words: field '{letter}': expected one or more words")


def _check_ladders(guide: Guide, content: Content) -> None:
    known = guide.progressions()
    for p in guide.progression:
        if p.count not in ("", "hold", "lower"):
            raise ContentError(f"{GUIDE_FILE}: progression '{p.id}': field 'count': one of hold, lower or empty")
    seen: set[str] = set()
    for ladder in guide.ladder:
        where = f"{GUIDE_FILE}: ladder '{ladder.exercise}'"
        if ladder.exercise not in content.exercises:
            raise ContentError(f"{where}: field 'exercise': unknown exercise")
        if ladder.exercise in seen:
            raise ContentError(f"{where}: field 'exercise': one ladder per exercise")
        seen.add(ladder.exercise)
        for step in ladder.steps:
            if step not in known:
                raise ContentError(f"{where}: field 'steps': unknown progression '{step}'")
        if len(set(ladder.steps)) != len(ladder.steps):
            raise ContentError(f"{where}: field 'steps': a step appears twice")
    if guide.sessions_to_progress < 1:
        raise ContentError(f"{GUIDE_FILE}: guide: field 'sessions_to_progress': must be at least 1")


def _check_workouts(workouts: list[Workout], content: Content) -> None:
    if sum(w.default for w in workouts) != 1:
        raise ContentError(f"{WORKOUTS_FILE}: field 'default': exactly one workout must be the default")
    if not any(w.from_exercises for w in workouts):
        raise ContentError(f"{WORKOUTS_FILE}: field 'from_exercises': one workout must be built from equipment")
    for w in workouts:
        fail = lambda fld, problem, w=w: _fail(WORKOUTS_FILE, "workout", w.id, fld, problem)  # noqa: E731
        if w.rounds < 1:
            raise fail("rounds", "must be at least 1")
        if bool(w.move) == bool(w.from_exercises):
            raise fail("move", "a workout lists its moves or the exercises to choose from, exactly one of them")
        for move in w.move:
            if move.exercise not in content.exercises:
                raise fail("move", f"unknown exercise '{move.exercise}'")
            if move.reps < 1:
                raise fail("move", f"'{move.exercise}' needs at least one rep")
        for exercise_id in w.from_exercises:
            ex = content.exercises.get(exercise_id)
            if ex is None:
                raise fail("from_exercises", f"unknown exercise '{exercise_id}'")
            if ex.prescription is None:
                raise fail("from_exercises", f"'{exercise_id}' has no prescription to follow")
        if w.from_exercises and w.max_exercises < 1:
            raise fail("max_exercises", "must be at least 1")
