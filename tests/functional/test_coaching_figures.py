"""How the circuit sounds to a first-time and to a returning user: time to the first counted rep, the longest
teaching before a set, the share of the time that is neither counting nor resting, and the whole circuit against
the article's six minutes. The figures go to build/coaching-figures.json (issue 14's acceptance)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from skill.content.schema import Content
from skill.engine.coach import Coach
from skill.engine.commands import Cmd, Command, Outcome
from skill.speech import counting
from skill.speech.ssml import Speech
from tests.engine import Ask, handle

T0 = 1_795_000_000_000
CIRCUIT = ("band_pull_apart", "single_arm_mini_loop_pulldown", "i_y_t", "resistance_band_row_with_pause")
FIGURES = Path(__file__).resolve().parents[2] / "build" / "coaching-figures.json"
COUNTING, RESTING, TEACHING = ("count",), ("rest", "rest_heart"), ("cue", "letter")


def circuit(coach: Coach, command: Command) -> list[Outcome]:
    """The circuit by "next" said as each response ends: every response, in order."""
    out = handle(coach, None, replace(command, name=Cmd.START), T0)
    outcomes = [out]
    while not out.end_session:
        heard = out.state.response_at_ms + out.state.timeline[-1].end_ms
        out = handle(coach, out.state, replace(command, name=Cmd.NEXT), heard + 1000)
        outcomes.append(out)
    return outcomes


def figures(speech: Speech, outcomes: list[Outcome]) -> dict[str, float]:
    total = counted = rested = 0.0
    first_rep = None
    longest_teaching = teaching = 0.0
    for outcome in outcomes:
        for prompt in outcome.speech:
            seconds = speech.measure([prompt]).seconds
            if prompt.key in COUNTING:
                if first_rep is None:
                    first_rep = total + counting.rep_times(speech.count_beats(prompt.params), speech.timing)[0][1]
                counted += seconds
                longest_teaching, teaching = max(longest_teaching, teaching), 0.0
            elif prompt.key in RESTING:
                rested += seconds
            elif prompt.key in TEACHING:
                teaching += seconds
            total += seconds
    assert first_rep is not None
    return {"first_rep_s": round(first_rep, 1), "longest_teaching_s": round(longest_teaching, 1),
            "talk_share": round(1 - (counted + rested) / total, 3), "circuit_minutes": round(total / 60, 2),
            "responses": len(outcomes)}


@pytest.fixture(scope="module")
def report(content: Content, speech: Speech, coach: Coach) -> dict[str, dict[str, float]]:
    first = figures(speech, circuit(coach, Ask(Cmd.START, first_ever=True)))
    returning = figures(speech, circuit(coach, Ask(Cmd.START, taught=CIRCUIT)))
    found = {"first_time": first, "returning": returning, "article_minutes": content.default_workout.minutes}
    FIGURES.parent.mkdir(exist_ok=True)
    FIGURES.write_text(json.dumps(found, indent=2) + "\n", encoding="utf-8")
    return found


def test_a_first_time_user_counts_within_twenty_five_seconds(report) -> None:
    assert report["first_time"]["first_rep_s"] <= 25
    assert report["first_time"]["longest_teaching_s"] <= 30  # a short setup, not a lecture


def test_a_returning_user_counts_within_ten_seconds_and_mostly_moves(report) -> None:
    returning = report["returning"]
    assert returning["first_rep_s"] <= 10
    assert returning["talk_share"] < 0.15
    assert returning["longest_teaching_s"] <= 5  # one key cue


def test_the_circuit_takes_about_the_articles_six_minutes(report) -> None:
    assert 5 <= report["returning"]["circuit_minutes"] <= 7.5
