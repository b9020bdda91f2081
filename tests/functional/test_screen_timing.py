"""The workout screen keeps in step with the voice: its schedule, checked against the SSML the same response
speaks (located independently, by searching the SSML for each number word) and against the engine's timeline.

The device shows rep value n from `reps[n].from` and a rest's seconds left as ceil((restEnd - now) / 1000), with
`now` the document's elapsed time (less a lag); here `now` is taken as the voice's own clock, the strictest case.
"""

from __future__ import annotations

import itertools
import math
import re
from typing import Any

import pytest

from skill.alexa.screens import FOREVER_MS
from skill.cli.chat import Exchange
from skill.cli.nlu import Nlu
from skill.content.schema import Content
from skill.speech import prompts
from skill.speech.ssml import escape, number_words
from skill.speech.timing import estimate_seconds
from skill.storage.stores import Stores
from tests.screens import TOUR, renders, run, show_chat

COUNT_START = escape(prompts.COUNT_START)
REST_END = escape(prompts.REST_END)
REST_OVER = escape(prompts.REST_OVER)


def _ms(ssml: str, end: int) -> float:
    return estimate_seconds(ssml[:end]) * 1000


def spoken_counts(ssml: str) -> list[list[tuple[int, float, float]]]:
    """For each count in the SSML, (n, start ms, end ms) of every number word said, found by text search."""
    out = []
    for match in re.finditer(re.escape(COUNT_START), ssml):
        said, cursor, n = [], match.end(), 1
        block_end = ssml.find(COUNT_START, cursor)
        block_end = len(ssml) if block_end < 0 else block_end
        while True:
            # The number as a word of its own ("pull … back … one"), not inside another ("seven" in "seventeen").
            found = re.compile(rf"(?<![A-Za-z]){number_words(n)}(?![A-Za-z])").search(ssml, cursor, block_end)
            if found is None:
                break
            at, end = found.start(), found.end()
            said.append((n, _ms(ssml, at), _ms(ssml, end)))
            cursor, n = end, n + 1
        out.append(said)
    return out


def spoken_rests(ssml: str) -> list[tuple[float, list[tuple[int, float]]]]:
    """For each rest, when "and go" starts (ms) and the 3-2-1 before it: (seconds left said, start ms)."""
    out = []
    for match in re.finditer(re.escape(REST_END) + "|" + re.escape(REST_OVER), ssml):
        calls = []
        for n in (3, 2, 1) if match.group(0) == REST_END else ():  # a rest that ends the response has no 3-2-1
            at = ssml.rfind(f" {number_words(n)}<break", 0, match.start())
            if at >= 0:
                calls.append((n, _ms(ssml, at)))
        out.append((_ms(ssml, match.start()), calls))
    return out


def shown_count(panels: list[dict[str, Any]], t: float) -> int | None:
    """The rep counter the device shows at `t` ms (None when a panel without a counter is up)."""
    panel = next(p for p in panels if p["from"] <= t < p["to"])
    if panel["kind"] != "move":
        return None
    return next(r["n"] for r in panel["reps"] if r["from"] <= t < r["to"])


def shown_rest(panel: dict[str, Any], t: float) -> int:
    return max(0, min(panel["restSeconds"], math.ceil((panel["restEnd"] - t) / 1000)))


@pytest.fixture(scope="module")
def workout_exchanges(content: Content, nlu: Nlu) -> list[tuple[Exchange, list[dict[str, Any]]]]:
    from skill.storage.stores import sqlite_stores

    store: Stores = sqlite_stores()
    out = []
    for exchange in run(show_chat(store, content, nlu), TOUR):
        for render in renders(exchange):
            panels = render["datasources"]["coach"]["panels"] if render["token"].endswith("workout") else []
            if len(panels) > 1 or (panels and panels[0]["kind"] != "still"):
                out.append((exchange, panels))
    store.close()
    assert len(out) >= 12  # every workout response of the tour carries a schedule
    return out


def test_the_counter_never_runs_ahead_of_the_spoken_count(workout_exchanges) -> None:
    checked = 0
    for exchange, panels in workout_exchanges:
        moves = [p for p in panels if p["kind"] == "move"]
        counts = spoken_counts(exchange.ssml)
        assert len(moves) == len(counts), exchange.said
        for panel, said in zip(moves, counts, strict=True):
            assert [r["n"] for r in panel["reps"]] == list(range(len(said) + 1))
            for (n, _, end), rep in zip(said, panel["reps"][1:], strict=True):
                assert rep["n"] == n
                assert rep["from"] >= end, f"{exchange.said}: {n} shown before it is said"
                assert rep["from"] - end < 2, f"{exchange.said}: {n} shown late"  # in step: to the ms
                checked += 1
        # The device's view, sampled through the whole response: never more reps than the voice has begun.
        starts = sorted(start for said in counts for _, start, _ in said)
        for t in range(0, round(exchange.seconds * 1000), 50):
            shown = shown_count(panels, t)
            if shown is not None:
                block = counts[moves.index(next(p for p in moves if p["from"] <= t < p["to"]))]
                begun = sum(1 for _, start, _ in block if start <= t)
                assert shown <= begun, (exchange.said, t)
        assert starts == sorted(starts)
    assert checked > 300


def test_the_rest_countdown_reaches_zero_with_and_go_and_never_leads_the_voice(workout_exchanges) -> None:
    checked = 0
    for exchange, panels in workout_exchanges:
        rests = [p for p in panels if p["kind"] == "rest"]
        spoken = spoken_rests(exchange.ssml)
        assert len(rests) == len(spoken), exchange.said
        for panel, (go, calls) in zip(rests, spoken, strict=True):
            assert panel["restEnd"] >= go and panel["restEnd"] - go < 2
            for n, start in calls:
                assert n <= shown_rest(panel, start) <= n + 1, (exchange.said, n)
                checked += 1
    assert checked >= 6


def test_panels_follow_the_engine_timeline_and_tile_the_response(workout_exchanges) -> None:
    for exchange, panels in workout_exchanges:
        timeline = exchange.workout.timeline
        assert panels[0]["from"] == 0 and panels[-1]["to"] == FOREVER_MS
        for before, after in itertools.pairwise(panels):
            assert before["to"] == after["from"]
        steps = [p for p in panels if p["kind"] in ("move", "rest")]
        assert len(steps) == len(timeline)
        for panel, seg in zip(steps[1:], timeline[1:], strict=True):
            assert panel["from"] == seg.start_ms
        done = [p for p in panels if p["kind"] == "done"]
        if done:
            assert done[0]["from"] == timeline[-1].end_ms
        for panel in steps:
            if panel["kind"] == "move":
                reps = panel["reps"]
                assert reps[0]["from"] == panel["from"] and reps[-1]["to"] == panel["to"]
                assert all(a["to"] == b["from"] for a, b in itertools.pairwise(reps))
