"""Finds exercises, workouts and equipment by the words people use for them."""

from __future__ import annotations

import difflib
import re
from functools import cache

from skill.content.schema import Content, Exercise, Workout

_NOT_WORD = re.compile(r"[^a-z0-9 ]+")


def normalize(text: str) -> str:
    """Lower case, '&' as 'and', punctuation and hyphens as spaces, single spaces."""
    text = text.casefold().replace("&", " and ").replace("-", " ").replace("/", " ")
    return " ".join(_NOT_WORD.sub(" ", text).split())


def exercise_names(ex: Exercise) -> tuple[str, ...]:
    """Every name an exercise answers to, display name first, without repeats."""
    names = (ex.name, ex.spoken_name, *ex.synonyms)
    return tuple(dict.fromkeys(names))


@cache
def _exercise_index(content: Content) -> dict[str, str]:
    return {normalize(name): ex.id for ex in content.exercises.values() for name in exercise_names(ex)}


@cache
def _workout_index(content: Content) -> dict[str, str]:
    return {
        normalize(name): w.id for w in content.workouts.values() for name in (w.name, w.spoken_name, *w.synonyms)
    }


@cache
def _equipment_index(content: Content) -> dict[str, str]:
    return {normalize(word): eq for eq, words in content.guide.equipment.items() for word in (eq, *words)}


def find_exercise(content: Content, text: str) -> Exercise | None:
    """The exercise `text` names (an id, a name or a synonym), or None."""
    key = normalize(text)
    exercise_id = _exercise_index(content).get(key) or _exercise_index(content).get(key.removeprefix("the "))
    if exercise_id is None and text in content.exercises:
        exercise_id = text
    return content.exercises.get(exercise_id) if exercise_id else None


def closest_exercises(content: Content, text: str, limit: int = 2) -> list[Exercise]:
    """The exercises whose names sound most like `text`, best first (for 'did you mean')."""
    index = _exercise_index(content)
    key = normalize(text)
    ranked = sorted(index, key=lambda name: -difflib.SequenceMatcher(None, key, name).ratio())
    found: list[Exercise] = []
    for name in ranked:
        ex = content.exercises[index[name]]
        if ex not in found:
            found.append(ex)
        if len(found) == limit:
            break
    return found


def find_workout(content: Content, text: str) -> Workout | None:
    key = normalize(text)
    workout_id = _workout_index(content).get(key) or (key if key in content.workouts else None)
    return content.workouts.get(workout_id) if workout_id else None


def letters_said(content: Content) -> dict[str, list[str]]:
    """What a person may say for each letter of the I-Y-T, in the order the moves teach them: the letter, its
    words from the guide, and "<letter> position"."""
    letters = dict.fromkeys(letter for ex in content.exercises.values() for letter in ex.letters)
    return {letter: [letter, *content.guide.letter_words.get(letter, ()), f"{letter} position"]
            for letter in letters}


def find_letter(content: Content, text: str) -> str:
    """The letter meant by 'why' or 'the T position' ("" for none): "how do I do the Y" may reach the skill
    with the letter heard as an exercise's name."""
    wanted = normalize(text).removesuffix(" position")  # "why position" as well as "Y position"
    return next((letter for letter, said in letters_said(content).items()
                 if wanted in (normalize(s) for s in said)), "")


def find_equipment(content: Content, text: str) -> str | None:
    """The equipment id for a word such as 'resistance band' or 'weights', or None."""
    return _equipment_index(content).get(normalize(text))
