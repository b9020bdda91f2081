"""The voice rules every spoken content line keeps: written for the ear, checked when the content loads.

Short second-person sentences, one instruction each, about ten words and never more than twenty; no
parentheses (a listener cannot hear them); no digits (numbers are said as words); no colours (they describe a
photo, not a move).
"""

from __future__ import annotations

import re

MAX_SENTENCE_WORDS = 20
TARGET_MEAN_WORDS = 10  # what a cue sentence should average; the tests hold the mean near it
SETUP_SENTENCES = (1, 2)
CUES = (2, 4)
CAUTIONS = (1, 2)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_COLOURS = frozenset({"red", "green", "blue", "yellow", "black", "purple", "orange", "pink", "grey", "gray"})


def sentences(text: str) -> list[str]:
    """The sentences of a spoken line, split after '.', '!' or '?'."""
    return [s for s in _SENTENCE_END.split(text.strip()) if s]


def word_count(sentence: str) -> int:
    return len(sentence.split())


def problems(text: str) -> list[str]:
    """Why `text` would not sound right spoken aloud; empty when it keeps the voice rules."""
    found = []
    if not text or text[-1] not in ".!?":
        found.append("must end a sentence with '.', '!' or '?'")
    if any(c in text for c in "()[]{}"):
        found.append("no parentheses in speech")
    if any(c.isdigit() for c in text):
        found.append("numbers are spoken as words, not digits")
    if "/" in text or " - " in text:
        found.append("no slashes or dashes in speech")
    colours = sorted(_COLOURS & set(re.findall(r"[a-z]+", text.lower())))
    if colours:
        found.append(f"'{colours[0]}' describes a picture, not the move")
    for sentence in sentences(text):
        if word_count(sentence) > MAX_SENTENCE_WORDS:
            found.append(f"{word_count(sentence)} words in one sentence (at most {MAX_SENTENCE_WORDS})")
    return found
