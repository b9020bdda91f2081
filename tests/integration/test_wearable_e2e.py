"""End to end on loopback: the served app (skill and sync API) and a simulated companion streaming over HTTP.
A hard set needs a longer rest than an easy one, and no rest goes past the cap."""

from __future__ import annotations

import re
import time
from pathlib import Path

from skill.cli import envelopes
from skill.companion.simulated import SimulatedHeart
from skill.companion.stream import Companion, http_transport
from skill.engine.plan import REST, build_plan
from skill.engine.rest import MAX_REST_SECONDS
from skill.engine.state import WorkoutState
from skill.speech import prompts
from skill.speech.timing import estimate_seconds
from tests.integration.test_web import http_post, serve, served_record, stop

HIGH = re.compile(r"Heart rate (\d+) and (\w+), (\d+) more seconds")


def envelope(intent: str, user: str, at: float, session: str, new: bool, attributes=None) -> dict:
    return envelopes.envelope(envelopes.intent_request(intent, at), user=envelopes.user_id(user),
                              device=envelopes.device_id("echo"), session_id=session, new_session=new,
                              attributes=attributes)


def rest_after(url: str, user: str, effort: float, content, db: Path) -> tuple[int, str]:
    """Works through round one at `effort`, rests the article's 30 s, then says next: returns the extra rest
    the coach gave (0 when recovered) and what it said."""
    now = time.time()
    _, paired = http_post(url, envelope("PairWatchIntent", user, now, "p", True))
    code = re.search(r'interpret-as="digits">(\d{6})<', paired["response"]["outputSpeech"]["ssml"]).group(1)
    companion = Companion(http_transport(url))
    companion.pair(code, "simulated strap")
    heart, plan = SimulatedHeart(seed=3), build_plan(content, "six_minute")
    at, attributes, intent, new = now - 900, {}, "StartWorkoutIntent", True
    companion.add(heart.run(int((at - 20) * 1000), 20, 0.1))  # warming up before the first request
    assert companion.flush()
    while True:
        status, answer = http_post(url, envelope(intent, user, at, "w", new, attributes))
        assert status == 200
        ssml = answer["response"]["outputSpeech"]["ssml"]
        attributes = answer.get("sessionAttributes") or {}
        state = WorkoutState.from_dict(served_record(db, envelopes.user_id(user))["workout"])
        if intent == "AMAZON.NextIntent" and plan.steps[plan.index(state.timeline[0].step) - 1].kind == REST:
            found = HIGH.search(ssml)
            return (int(found.group(3)) if found else 0), ssml
        for seg in state.timeline:
            resting = plan.steps[plan.index(seg.step)].kind == REST
            companion.add(heart.run(state.response_at_ms + seg.start_ms, seg.duration_ms // 1000,
                                    0.0 if resting else effort))
        assert companion.flush()
        at += estimate_seconds(ssml) + 1
        intent, new = "AMAZON.NextIntent", False
        if state.timeline and plan.steps[plan.index(state.timeline[-1].step)].kind == REST:
            assert prompts.HEART_CHECK in ssml  # the rest ended the response: the next request decides


def test_a_hard_set_earns_a_longer_rest_than_an_easy_one(tmp_path: Path, content) -> None:
    process, url = serve(tmp_path, "--insecure-skip-verification")
    try:
        hard, hard_said = rest_after(url, "hard", 0.95, content, tmp_path)
        easy, easy_said = rest_after(url, "easy", 0.35, content, tmp_path)
    finally:
        stop(process)
    print(f"extra rest after a hard set: {hard} s, after an easy one: {easy} s")
    assert hard > easy >= 0, (hard_said[:200], easy_said[:200])
    assert 30 + hard <= MAX_REST_SECONDS
    assert "Heart rate" in hard_said and "Heart rate" in easy_said
