"""Numbers and prescriptions as a person says them: "twelve", "eight to twelve reps", never "8-12"."""

from __future__ import annotations

from html import escape as html_escape
from typing import Any

from skill.content.schema import Exercise
from skill.speech import prompts as p


def reps_words(reps_min: int, reps_max: int) -> str:
    """'eight to twelve reps', or 'five reps' when there is no range."""
    if reps_min == reps_max:
        return p.REPS_EXACT.format(reps=number_words(reps_min))
    return p.REPS_RANGE.format(reps_min=number_words(reps_min), reps_max=number_words(reps_max))


def prescription_words(ex: Exercise) -> str:
    """The beginner prescription as a person says it: 'Start with three sets of eight to twelve reps each arm.'"""
    rx = ex.prescription
    assert rx is not None
    per = "side" if rx.per_arm else "letter" if ex.letters else ""
    said = p.PRESCRIPTION.format(sets=number_words(rx.sets), reps=reps_words(rx.reps_min, rx.reps_max),
                  per=p.PER_PART[per])
    return f"{rx.modifier} {said}" if rx.modifier else said


_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
    "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def number_words(n: int) -> str:
    """A whole number as a person says it: 12 -> 'twelve', 45 -> 'forty five', 120 -> 'one hundred twenty'."""
    if n < 0:
        return "minus " + number_words(-n)
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (" " + _ONES[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return _ONES[hundreds] + " hundred" + (" " + number_words(rest) if rest else "")
    thousands, rest = divmod(n, 1000)
    return number_words(thousands) + " thousand" + (" " + number_words(rest) if rest else "")


def spoken_numbers(values: dict[str, Any]) -> dict[str, Any]:
    """The same values with every whole number as words, for templates that speak content numbers."""
    return {k: number_words(v) if isinstance(v, int) and not isinstance(v, bool) else v for k, v in values.items()}


def escape(text: str) -> str:
    """&, < and > as entities (xml.sax.saxutils would do the same but pulls in urllib at import)."""
    return html_escape(text, quote=False)


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def join(items: list[str]) -> str:
    """'a, b and c'."""
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
