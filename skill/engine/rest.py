"""Heart-rate-guided rest: end a rest when the heart has recovered, in bounded steps, up to a cap.

Buskard et al. 2017 found resting until heart rate recovered gave more total reps than a fixed rest, at about
15 s more rest per set; the practitioner's rule of thumb is to rest until about 60% of maximum heart rate
(Tanaka: 208 - 0.7 x age).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

FRESH_MS = 15_000  # a sample older than this says nothing about now: fall back to the article's fixed rest
TREND_WINDOW_MS = 30_000
STEP_SECONDS = 15  # extensions come in steps of this
MAX_REST_SECONDS = 120  # never rest longer than this in all, whatever the heart says
RECOVERY_FRACTION = 0.60
DEFAULT_AGE = 40  # when the person has not told us theirs


def max_heart_rate(age: int) -> float:
    """Tanaka et al. 2001: 208 - 0.7 x age."""
    return 208 - 0.7 * age


def recovery_threshold(age: int | None = None, bpm: int | None = None) -> int:
    """The heart rate a rest waits for: the person's own figure, or about 60% of their estimated maximum."""
    if bpm:
        return bpm
    return round(RECOVERY_FRACTION * max_heart_rate(age or DEFAULT_AGE))


@dataclass(frozen=True)
class Vitals:
    """What the wearable says: recent (epoch ms, beats per minute) samples, oldest first, and the target."""

    samples: tuple[tuple[int, int], ...]
    threshold_bpm: int

    def fresh(self, now_ms: int) -> bool:
        return bool(self.samples) and now_ms - self.samples[-1][0] <= FRESH_MS


@dataclass(frozen=True)
class RestDecision:
    bpm: int
    trend: str  # "falling", "rising" or "steady"
    extra_seconds: int  # 0 when recovered


def decide_rest(vitals: Vitals, now_ms: int, rested_seconds: int) -> RestDecision | None:
    """After `rested_seconds` of rest: how much longer, or None when there is no fresh heart rate."""
    if not vitals.fresh(now_ms):
        return None
    bpm = vitals.samples[-1][1]
    slope = _slope([s for s in vitals.samples if now_ms - s[0] <= TREND_WINDOW_MS])  # bpm per second
    trend = "falling" if slope < -0.1 else "rising" if slope > 0.1 else "steady"
    room = max(0, MAX_REST_SECONDS - rested_seconds)
    if bpm <= vitals.threshold_bpm or room == 0:
        return RestDecision(bpm, trend, 0)
    needed = (bpm - vitals.threshold_bpm) / -slope if slope < 0 else room
    extra = STEP_SECONDS * max(1, math.ceil(needed / STEP_SECONDS))
    return RestDecision(bpm, trend, min(extra, room))


def _slope(samples: list[tuple[int, int]]) -> float:
    if len(samples) < 2:
        return 0.0
    ts = [t / 1000 for t, _ in samples]
    mean_t = sum(ts) / len(ts)
    mean_b = sum(b for _, b in samples) / len(samples)
    var = sum((t - mean_t) ** 2 for t in ts)
    return 0.0 if var == 0 else sum((t - mean_t) * (b - mean_b) for t, (_, b) in zip(ts, samples, strict=True)) / var
