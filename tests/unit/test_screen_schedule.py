"""The screen's schedule from the speech layer's own numbers: one source for the voice and the counter."""

from __future__ import annotations

from skill.alexa.screens import FOREVER_MS, numbers_said, workout_panels
from skill.content.schema import Content
from skill.engine.coach import Coach
from skill.engine.commands import Cmd
from skill.engine.plan import REST, build_plan
from skill.engine.rest import Vitals
from skill.engine.script import say
from skill.engine.state import READY, Done, WorkoutState
from skill.speech.ssml import Speech
from skill.speech.timing import estimate_seconds
from skill.speech.words import number_words
from tests.engine import Ask, handle

NOW = 1_795_000_000_000


def test_count_marks_are_where_the_ssml_says_each_number(speech: Speech) -> None:
    import re

    prompt = say("count", exercise="band_pull_apart", reps_min=8, reps_max=12)
    ssml = speech.piece(prompt)
    calls = speech.calls(prompt)
    assert [n for n, _, _ in calls] == list(range(1, 13))
    cursor = 0
    for n, start, end in calls:
        found = re.compile(rf"(?<![A-Za-z]){number_words(n)}(?![A-Za-z])").search(ssml, cursor)
        assert found is not None, n
        assert abs(estimate_seconds(ssml[:found.start()]) - start) < 1e-6
        assert end > start
        cursor = found.end()


def test_rest_calls_end_with_and_go_at_the_rest_length(speech: Speech) -> None:
    calls = speech.calls(say("rest", seconds=30, next=None))
    assert [n for n, _, _ in calls] == [20, 10, 3, 2, 1, 0]
    assert abs(calls[-1][1] - 30) < 0.01  # "and go" when the thirty seconds are up
    assert all(abs(start - (30 - n)) < 0.01 for n, start, _ in calls)


def test_an_extra_rest_the_heart_asked_for_counts_down_before_the_move(content: Content, coach: Coach,
                                                                       speech: Speech) -> None:
    plan = build_plan(content, "six_minute")
    rest = next(i for i, s in enumerate(plan.steps) if s.kind == REST)
    state = WorkoutState(workout="six_minute", position=plan.steps[rest + 1].id, phase=READY,
                         started_at_ms=NOW - 300_000, updated_at_ms=NOW - 1000,
                         done=(Done(plan.steps[rest].id, NOW - 31_000, 30_000),))
    racing = Vitals(((NOW - 2000, 150), (NOW - 1000, 150)), 108)
    outcome = handle(coach, state, Ask(Cmd.NEXT, vitals=racing), NOW)
    assert outcome.result == "rest_extended"
    panels = workout_panels(speech, plan, outcome.state, outcome.speech)
    first_step = outcome.state.timeline[0]
    extra = panels[0]
    assert extra["kind"] == "rest" and extra["from"] == 0 and extra["to"] == first_step.start_ms
    go = next(start for key, n, start, _ in numbers_said(speech, outcome.speech) if key == "rest" and n == 0)
    assert extra["restEnd"] == go <= first_step.start_ms
    assert extra["next"].endswith(plan.steps[rest + 1].display_name + " · Overhand grip")
    assert panels[1]["from"] == first_step.start_ms and panels[-1]["to"] == FOREVER_MS
