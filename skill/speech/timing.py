"""How long speech takes: the one place durations are estimated, from words and breaks, at each language's own
speech rate."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

# Alexa's default English voice speaks about 150 words a minute (each language's rate: its prompts module).
WORDS_PER_MINUTE = 150
SECONDS_PER_WORD = 60 / WORDS_PER_MINUTE

# One rep every two seconds while counting: about the article's "6 minutes" for the whole circuit.
REP_SECONDS = 2.0

# A single SSML <break> may last at most 10 s; longer silences chain several.
MAX_BREAK_SECONDS = 10.0

_BREAK = re.compile(r'<break\s+time="([^"]*)"\s*/>')
_TIME = re.compile(r"(\d+(?:\.\d+)?)(ms|s)")
_TAG = re.compile(r"<[^>]+>")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")  # letters and digits of any language; "you're" is one word


@dataclass(frozen=True)
class Timing:
    """Estimates at one speech rate (words a minute)."""

    words_per_minute: int = WORDS_PER_MINUTE

    @property
    def seconds_per_word(self) -> float:
        return 60 / self.words_per_minute

    def estimate_seconds(self, ssml: str) -> float:
        """Seconds to speak `ssml` (a whole response or a fragment): its words at this rate plus its breaks."""
        breaks = sum(break_seconds(value) for value in _BREAK.findall(ssml))
        words = len(_WORD.findall(_TAG.sub(" ", ssml)))
        return words * self.seconds_per_word + breaks


@cache
def timing(words_per_minute: int) -> Timing:
    return Timing(words_per_minute)


ENGLISH = timing(WORDS_PER_MINUTE)


def estimate_seconds(ssml: str) -> float:
    """Seconds to speak English `ssml` (the local chat's clock, and tests)."""
    return ENGLISH.estimate_seconds(ssml)


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
