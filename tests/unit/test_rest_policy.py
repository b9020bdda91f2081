"""Heart-rate-guided rest: the policy, and the engine using it."""

from __future__ import annotations

import pytest

from skill.companion.simulated import SimulatedHeart
from skill.engine.coach import Coach
from skill.engine.commands import Cmd, Command
from skill.engine.plan import REST, build_plan
from skill.engine.rest import (
    FRESH_MS,
    MAX_REST_SECONDS,
    STEP_SECONDS,
    Vitals,
    decide_rest,
    max_heart_rate,
    recovery_threshold,
)
from tests.engine import Ask, handle

NOW = 1_795_000_000_000


def falling(start: int, per_second: float, seconds: int = 30) -> tuple[tuple[int, int], ...]:
    return tuple((NOW - 1000 * (seconds - i), round(start - per_second * i)) for i in range(seconds + 1))


def test_threshold_is_sixty_percent_of_tanaka_or_the_persons_own() -> None:
    assert max_heart_rate(40) == pytest.approx(180)
    assert recovery_threshold(age=40) == 108 and recovery_threshold(age=20) == 116
    assert recovery_threshold() == 108  # no age given: a 40-year-old's figure
    assert recovery_threshold(age=40, bpm=120) == 120


def test_no_fresh_sample_means_the_articles_fixed_rest() -> None:
    old = Vitals(((NOW - FRESH_MS - 1, 150),), 108)
    assert decide_rest(old, NOW, 30) is None
    assert decide_rest(Vitals((), 108), NOW, 30) is None


def test_recovered_heart_goes_at_once() -> None:
    decision = decide_rest(Vitals(falling(110, 0.3), 108), NOW, 30)
    assert decision.extra_seconds == 0 and decision.bpm == 101 and decision.trend == "falling"


def test_a_high_heart_rate_waits_in_steps_up_to_the_cap() -> None:
    decision = decide_rest(Vitals(falling(140, 0.5), 108), NOW, 30)  # 125 now, falling 0.5 bpm/s: ~34 s
    assert decision.bpm == 125 and decision.extra_seconds == 45 and decision.extra_seconds % STEP_SECONDS == 0
    rising = decide_rest(Vitals(falling(140, -0.5), 108), NOW, 30)
    assert rising.trend == "rising" and rising.extra_seconds == MAX_REST_SECONDS - 30
    assert decide_rest(Vitals(falling(170, 0.1), 108), NOW, 110).extra_seconds == 10  # never past the cap
    assert decide_rest(Vitals(falling(170, 0.1), 108), NOW, MAX_REST_SECONDS).extra_seconds == 0


def rest_outcomes(coach: Coach, effort: float):
    """Start the circuit, work at `effort` until the rest, rest 30 s; returns the response ending at the rest
    and the answer to "next" at its end."""
    out = handle(coach, None, Command(Cmd.START), NOW)
    heart = SimulatedHeart()
    plan = build_plan(coach.content, "six_minute")
    rest = next(s.id for s in plan.steps if s.kind == REST)
    t, samples = NOW, []
    while True:
        end = out.state.response_at_ms + out.state.timeline[-1].end_ms
        for seg in out.state.timeline:
            kind = plan.steps[plan.index(seg.step)].kind
            samples += heart.run(out.state.response_at_ms + seg.start_ms, seg.duration_ms // 1000,
                                 0.0 if kind == REST else effort)
        t = end + 1000
        vitals = Vitals(tuple(s for s in samples if s[0] <= t), 108)
        if out.state.timeline[-1].step == rest:
            return out, handle(coach, out.state, Ask(Cmd.NEXT, vitals=vitals), t)
        out = handle(coach, out.state, Ask(Cmd.NEXT, vitals=vitals), t)


def test_with_a_live_heart_rate_a_rest_ends_the_response_and_the_next_request_decides(coach: Coach, speech) -> None:
    at_rest, hard = rest_outcomes(coach, 0.95)
    assert at_rest.speech[-1].key == "heart_check"
    assert hard.result == "rest_extended" and "Heart rate" in speech.ssml(hard.speech)
    extra = hard.speech[0].params["seconds"]
    rest_step = at_rest.state.timeline[-1].step
    [logged] = [d for d in hard.state.done if d.step == rest_step]
    assert logged.duration_ms == at_rest.state.timeline[-1].duration_ms + extra * 1000  # the log has the whole rest
    _, easy = rest_outcomes(coach, 0.3)
    assert easy.result == "recovered"


def test_without_a_wearable_the_rest_stays_inside_the_response(coach: Coach) -> None:
    out = handle(coach, None, Command(Cmd.START), NOW)
    out = handle(coach, out.state, Command(Cmd.NEXT), out.state.response_at_ms + out.state.timeline[-1].end_ms + 1)
    plan = build_plan(coach.content, "six_minute")
    kinds = [plan.steps[plan.index(s.step)].kind for s in out.state.timeline]
    assert REST in kinds and kinds[-1] != REST
