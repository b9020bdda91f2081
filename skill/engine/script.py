"""What the engine asks to be said: structured prompts, turned into speech by skill.speech."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Prompt:
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    # The speech layer's rendering and its cost, kept so a prompt measured for packing is not rendered again to
    # be sent.
    rendered: tuple[str, Cost] | None = field(default=None, compare=False, repr=False)


def say(key: str, **params: Any) -> Prompt:
    return Prompt(key, params)


@dataclass(frozen=True)
class Cost:
    """How much room a run of prompts takes in a response: SSML characters and estimated seconds."""

    chars: int
    seconds: float

    def __add__(self, other: Cost) -> Cost:
        return Cost(self.chars + other.chars, self.seconds + other.seconds)


# Supplied by the speech layer, so the engine can pack responses without knowing how text is rendered.
Measure = Callable[[Sequence[Prompt]], Cost]


@dataclass(frozen=True)
class Budget:
    """The most one response may carry."""

    max_chars: int
    max_seconds: float
