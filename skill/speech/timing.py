"""How long speech takes: the one place durations are estimated, from words and breaks."""

from __future__ import annotations

import re

# Alexa's default voice speaks about 150 words a minute; every estimate in the product uses this rate.
WORDS_PER_MINUTE = 150
SECONDS_PER_WORD = 60 / WORDS_PER_MINUTE

# One rep every two seconds while counting: about the article's "6 minutes" for the whole circuit.
REP_SECONDS = 2.0

# A single SSML <break> may last at most 10 s; longer silences chain several.
MAX_BREAK_SECONDS = 10.0

_BREAK = re.compile(r'<break\s+time="([^"]*)"\s*/>')
_TIME = re.compile(r"(\d+(?:\.\d+)?)(ms|s)")
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[A-Za-z0-9]+(?:'[A-Za-z]+)?")


def estimate_seconds(ssml: str) -> float:
    """Seconds to speak `ssml` (a whole response or a fragment): its words at WORDS_PER_MINUTE plus its breaks."""
    breaks = sum(break_seconds(value) for value in _BREAK.findall(ssml))
    words = len(_WORD.findall(_TAG.sub(" ", ssml)))
    return words * SECONDS_PER_WORD + breaks


def break_seconds(time: str) -> float:
    """The length of a <break time="..."> value such as '1600ms' or '2s'; 0 for anything else."""
    match = _TIME.fullmatch(time.strip())
    if not match:
        return 0.0
    return float(match.group(1)) / (1000 if match.group(2) == "ms" else 1)


def silence(seconds: float) -> str:
    """SSML for a silence of `seconds`, chained from breaks of at most MAX_BREAK_SECONDS."""
    out = []
    remaining_ms = round(seconds * 1000)
    limit_ms = round(MAX_BREAK_SECONDS * 1000)
    while remaining_ms >= 50:
        chunk = min(remaining_ms, limit_ms)
        out.append(f'<break time="{chunk}ms"/>')
        remaining_ms -= chunk
    return "".join(out)


# -- numbers said aloud, for a screen that must keep in step with the voice -----------------------------------

Piece = tuple[str, int | None]  # a run of SSML, and the number it says aloud (None when it says none)


def joined(pieces: list[Piece]) -> str:
    """The SSML of a prompt built from pieces: they join as they are (each carries its own spacing)."""
    return "".join(text for text, _ in pieces)


def calls(pieces: list[Piece]) -> list[tuple[int, float, float]]:
    """(number, start, end) in seconds from the prompt's start for every number the pieces say aloud, by the same
    estimate as every duration in the product: the count on a screen is placed with the times the voice has."""
    out = []
    before = ""
    for text, number in pieces:
        start = estimate_seconds(before)
        before += text
        if number is not None:
            out.append((number, start, estimate_seconds(before)))
    return out
