"""Which language a locale speaks, the languages the coach speaks, and each one's prompt texts."""

from __future__ import annotations

import importlib
from functools import cache
from types import ModuleType

SPOKEN = ("en",)  # the languages with content and prompts; every other locale is answered in English
DEFAULT = "en"
Prompts = ModuleType  # a language's prompt module: constants, and how it says numbers, lists and times


def language_code(locale: str | None) -> str:
    """The language of an Alexa locale ("en-GB" -> "en"); English for one the coach does not speak."""
    code = (locale or "").split("-")[0].lower()
    return code if code in SPOKEN else DEFAULT


@cache
def prompts_for(language: str) -> Prompts:
    """English: skill.speech.prompts; any other: skill.speech.lang.<code>."""
    if language == DEFAULT:
        return importlib.import_module("skill.speech.prompts")
    return importlib.import_module(f"skill.speech.lang.{language}")
