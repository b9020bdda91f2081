"""Numbers and prescriptions as a person says them ("twelve", "eight to twelve reps", never "8-12"), in the
language of the prompts given; and the escaping every spoken text gets."""

from __future__ import annotations

from html import escape as html_escape
from typing import Any

from skill.content.schema import Exercise
from skill.speech import prompts as english
from skill.speech.language import Prompts

number_words = english.number_words  # English, for what is English only (tests, the local tools)
join = english.join


def reps_words(p: Prompts, reps_min: int, reps_max: int) -> str:
    """'eight to twelve reps', or 'five reps' when there is no range."""
    if reps_min == reps_max:
        return p.REPS_EXACT.format(reps=p.number_words(reps_min))
    return p.REPS_RANGE.format(reps_min=p.number_words(reps_min), reps_max=p.number_words(reps_max))


def prescription_words(ex: Exercise, p: Prompts = english) -> str:
    """The beginner prescription as a person says it: 'Start with three sets of eight to twelve reps each arm.'"""
    rx = ex.prescription
    assert rx is not None
    per = "side" if rx.per_arm else "letter" if ex.letters else ""
    said = p.PRESCRIPTION.format(sets=p.number_words(rx.sets), reps=reps_words(p, rx.reps_min, rx.reps_max),
                                 per=p.PER_PART[per])
    return f"{rx.modifier} {said}" if rx.modifier else said


def spoken_numbers(p: Prompts, values: dict[str, Any]) -> dict[str, Any]:
    """The same values with every whole number as words, for templates that speak content numbers."""
    return {k: p.number_words(v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in values.items()}


def escape(text: str) -> str:
    """&, < and > as entities (xml.sax.saxutils would do the same but pulls in urllib at import)."""
    return html_escape(text, quote=False)


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def t(template: str, **values: Any) -> str:
    """A template filled with values and escaped for SSML (names and heard words may contain '&' or '<')."""
    return escape(template.format(**values))


def plain(template: str, **values: Any) -> str:
    return template.format(**values)
