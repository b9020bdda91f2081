"""Speech: valid SSML under Alexa's limits, counted reps, countdowns, varied praise, one duration estimate."""

from __future__ import annotations

import itertools

import pytest

from skill.engine.script import say
from skill.speech import prompts
from skill.speech.readable import to_text
from skill.speech.ssml import MAX_SSML_CHARS, Speech, check
from skill.speech.timing import REP_SECONDS, SECONDS_PER_WORD, WORDS_PER_MINUTE, estimate_seconds, silence


def test_duration_estimate_is_words_at_the_stated_rate_plus_breaks() -> None:
    assert WORDS_PER_MINUTE == 150
    assert estimate_seconds("<speak>one two three</speak>") == pytest.approx(3 * SECONDS_PER_WORD)
    assert estimate_seconds('a<break time="1500ms"/>b<break time="2s"/>') == pytest.approx(2 * 0.4 + 3.5)
    assert estimate_seconds("") == 0


def test_long_silences_chain_breaks_of_at_most_ten_seconds() -> None:
    ssml = "<speak>" + silence(27.5) + "</speak>"
    assert ssml.count("<break") == 3 and check(ssml) == []
    assert estimate_seconds(ssml) == pytest.approx(27.5)


def test_counting_keeps_a_steady_tempo(speech: Speech) -> None:
    fragment = speech.fragment([say("count", reps_min=10, reps_max=10)])
    assert "ten" in to_text("<speak>" + fragment + "</speak>")
    start = speech.fragment([say("count", reps_min=0, reps_max=0)])
    assert estimate_seconds(fragment) - estimate_seconds(start) == pytest.approx(10 * REP_SECONDS)
    ranged = speech.fragment([say("count", reps_min=8, reps_max=12)])
    assert prompts.COUNT_MORE in ranged and ranged.count("<break") == 12


@pytest.mark.parametrize("seconds", [30, 45, 60])
def test_rest_countdown_lasts_the_rest(speech: Speech, seconds: int) -> None:
    fragment = speech.fragment([say("rest", seconds=seconds, next=None)])
    ssml = "<speak>" + fragment + "</speak>"
    assert check(ssml) == []
    spoken_after = estimate_seconds(prompts.REST_END)
    assert estimate_seconds(fragment) == pytest.approx(seconds + spoken_after, abs=0.5)
    assert "three" in to_text(ssml) and "ten seconds" in to_text(ssml)


def test_encouragement_never_repeats_back_to_back(speech: Speech) -> None:
    said = [speech.fragment([say("praise", n=n)]) for n in range(50)]
    assert all(a != b for a, b in itertools.pairwise(said))
    assert len(set(said)) == len(prompts.ENCOURAGEMENT) > 2


def test_text_is_escaped(speech: Speech) -> None:
    ssml = speech.ssml([say("unknown_exercise", heard="rows & <curls>", suggestions=["Bow & Arrow Row"])])
    assert check(ssml) == [] and "rows & <curls>" in to_text(ssml)
    assert "bow and arrow row" in to_text(ssml)


def test_check_catches_what_alexa_would_reject() -> None:
    assert check("<speak>fine</speak>") == []
    assert check("<speak>broken") != []
    assert check('<speak><break time="11s"/></speak>') != []
    assert check('<speak><audio src="x"/></speak>') != []
    assert check("<speak>" + "a" * MAX_SSML_CHARS + "</speak>") != []


def test_every_prompt_renders_valid_ssml(speech: Speech, coach, content) -> None:
    from skill.engine.plan import build_plan

    plan = build_plan(content, "six_minute")
    at = coach.where(plan, 5)  # I-Y-T, Y position
    rest_at = coach.where(plan, 8)
    samples = {
        "intro": dict(workout="6 Minute Upper Back Workout", moves=["I-Y-T"], rounds=2, minutes=6, round_rest=30,
                      set_rest=0),
        "round": dict(round=1, rounds=2), "exercise": dict(at=at), "cue": dict(exercise="i_y_t", full=True),
        "letter": dict(exercise="i_y_t", index=1, letter="Y", cue=True),
        "part": dict(kind="side", label="left", switch=True), "count": dict(reps_min=5, reps_max=5),
        "praise": dict(n=3), "rest": dict(seconds=30, next=at), "continue": dict(at=at),
        "continue_reprompt": dict(at=rest_at),
        "finished": dict(workout="6 Minute Upper Back Workout", rounds=2, days_per_week=5),
        "resuming": {}, "again": {}, "going_back": {}, "at_start": {}, "skipping": dict(name="I-Y-T"),
        "paused": dict(at=at), "status": dict(at=at, started=True), "workout_done": dict(workout="x"),
        "explain": dict(exercise="bow_and_arrow_row"), "unknown_exercise": dict(heard="x", suggestions=["I-Y-T"]),
        "which_exercise": {}, "back_to_workout": dict(at=rest_at), "help": {}, "fallback": {}, "welcome": {},
        "welcome_back": dict(at=at), "in_progress": dict(at=at), "stopped": dict(at=at), "goodbye": {},
        "no_workout": {}, "no_exercises": dict(equipment=[]), "reprompt": dict(at=None),
    }
    for key, params in samples.items():
        ssml = speech.ssml([say(key, **params)])
        assert check(ssml) == [] and to_text(ssml).strip(), key
    assert "Y position" in speech.ssml([say("status", at=at, started=True)])


def test_each_prompt_is_rendered_once_per_turn(content) -> None:
    """The engine measures every prompt while packing a response; sending it renders nothing again."""
    from skill.engine.coach import Coach
    from skill.engine.commands import Cmd, Command
    from skill.speech.ssml import BUDGET, Speech

    speech = Speech(content)
    coach = Coach(content, speech.measure, BUDGET)
    out = coach.handle(None, Command(Cmd.START), 1_795_000_000_000)
    measured = speech.renders
    text = speech.ssml(out.speech)
    assert speech.renders == measured and all(p.rendered is not None for p in out.speech)
    assert text == Speech(content).ssml(out.speech)  # the kept text is what a fresh rendering says


def test_content_numbers_are_said_as_words(speech: Speech, coach, content) -> None:
    import re

    from skill.engine.plan import build_plan

    plan = build_plan(content, "full_session")
    at = coach.where(plan, 0)  # bent over dumbbell row, set one of three, eight to twelve reps
    rest_at = coach.where(plan, 1)
    prompts_ = [
        say("intro", workout="Full Upper Back Session", moves=["Lat Pulldown"], rounds=1, minutes=0, round_rest=0,
            set_rest=30),
        say("round", round=1, rounds=2), say("exercise", at=at), say("count", reps_min=8, reps_max=12),
        say("rest", seconds=30, next=at), say("status", at=at, started=True), say("continue", at=rest_at),
        say("finished", workout="Full Upper Back Session", rounds=1, days_per_week=5),
        say("explain", exercise="single_arm_kettlebell_row"),
    ]
    text = to_text(speech.ssml(prompts_))
    assert not re.search(r"\d", re.sub(r"\[\d+ s\]", "", text)), text  # '[12 s]' marks a silence
    assert "Set one of three. Eight to twelve reps." in text and "thirty second rest between sets" in text
    assert "three sets of eight to ten reps each arm" in text and "five days a week" in text
