"""The locale axis: for each language the coach speaks, its content (names, cues, synonyms), its speech layer
(prompt texts, number words, joins, speech rate) and the engine's coach over them. A request's locale picks
one; everything below a turn is the same code for every language. Built on first use and kept.

The records hold only ids (exercises, steps, workouts), never words, so a workout started in one language
resumes in any other at the same place.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from skill.content import Content, load_content
from skill.engine.coach import Coach
from skill.speech.language import SPOKEN, language_code
from skill.speech.ssml import BUDGET, Speech


@dataclass(frozen=True)
class Language:
    code: str  # "en"
    content: Content
    speech: Speech
    coach: Coach


class Languages:
    """Every language's coach, built once each. `content`: English content to use instead of the shipped one
    (tests that edit it); other languages always load their own."""

    def __init__(self, content: Content | None = None) -> None:
        self._english = content
        self._built: dict[str, Language] = {}

    def for_locale(self, locale: str | None) -> Language:
        return self.get(language_code(locale))

    def get(self, code: str) -> Language:
        if code not in self._built:
            content = self._english if code == "en" and self._english is not None else load_content(language=code)
            speech = Speech(content, code)
            self._built[code] = Language(code, content, speech, Coach(content, speech.measure, BUDGET))
        return self._built[code]

    @property
    def english(self) -> Language:
        return self.get("en")


@cache
def shipped() -> tuple[str, ...]:
    """The languages the product speaks."""
    return SPOKEN
