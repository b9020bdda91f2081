"""A plausible heart for demos and tests: it climbs towards a target while working and recovers while resting."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

RESTING_BPM = 62
MAX_BPM = 180
RISE_TAU_S = 25.0  # heart rate climbs quickly with effort...
RECOVER_TAU_S = 55.0  # ...and comes down more slowly


@dataclass
class SimulatedHeart:
    bpm: float = RESTING_BPM
    seed: int = 7
    _rng: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)

    def step(self, seconds: float, effort: float) -> int:
        """Advance by `seconds` at `effort` (0 resting .. 1 all out); returns the reading, with sensor noise."""
        target = RESTING_BPM + effort * (MAX_BPM - RESTING_BPM)
        tau = RISE_TAU_S if target > self.bpm else RECOVER_TAU_S
        self.bpm = target + (self.bpm - target) * math.exp(-seconds / tau)
        return round(self.bpm + self._rng.uniform(-1.0, 1.0))

    def run(self, start_ms: int, seconds: int, effort: float) -> list[tuple[int, int]]:
        """One reading a second for `seconds`: [(epoch ms, bpm)]."""
        return [(start_ms + 1000 * (i + 1), self.step(1.0, effort)) for i in range(seconds)]


MOVE_EFFORT = 0.7
BETWEEN_EFFORT = 0.15  # listening to cues, getting into position


@dataclass
class SimulatedWearable:
    """A heart that follows a workout's spoken timeline: it works during moves and recovers during rests."""

    heart: SimulatedHeart = field(default_factory=SimulatedHeart)
    segments: list[tuple[int, int, str]] = field(default_factory=list)  # (start ms, end ms, "move"/"rest")
    last_ms: int = 0

    def follow(self, segments: list[tuple[int, int, str]]) -> None:
        self.segments = segments

    def effort(self, t_ms: int) -> float:
        for start, end, kind in self.segments:
            if start <= t_ms < end:
                return MOVE_EFFORT if kind == "move" else 0.0
        return BETWEEN_EFFORT

    def advance(self, to_ms: int) -> list[tuple[int, int]]:
        """Readings, one a second, from the last one up to `to_ms`."""
        if not self.last_ms:
            self.last_ms = to_ms - 1000
        samples = []
        while self.last_ms + 1000 <= to_ms:
            self.last_ms += 1000
            samples.append((self.last_ms, self.heart.step(1.0, self.effort(self.last_ms))))
        return samples
