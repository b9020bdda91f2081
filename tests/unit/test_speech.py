"""Speech: valid SSML under Alexa's limits, counted reps, countdowns, varied praise, one duration estimate."""

from __future__ import annotations

import itertools

import pytest

from skill.engine.script import say
from skill.speech import prompts
from skill.speech.readable import to_text
from skill.speech.ssml import MAX_SSML_CHARS, Speech, check
from skill.speech.timing import SECONDS_PER_WORD, WORDS_PER_MINUTE, estimate_seconds, silence


def test_duration_estimate_is_words_at_the_stated_rate_plus_breaks() -> None:
    assert WORDS_PER_MINUTE == 150
    assert estimate_seconds("<speak>one two three</speak>") == pytest.approx(3 * SECONDS_PER_WORD)
    assert estimate_seconds('a<break time="1500ms"/>b<break time="2s"/>') == pytest.approx(2 * 0.4 + 3.5)
    assert estimate_seconds("") == 0


def test_long_silences_chain_breaks_of_at_most_ten_seconds() -> None:
    ssml = "<speak>" + silence(27.5) + "</speak>"
    assert ssml.count("<break") == 3 and check(ssml) == []
    assert estimate_seconds(ssml) == pytest.approx(27.5)


@pytest.mark.parametrize("exercise", ["band_pull_apart", "i_y_t", "resistance_band_row_with_pause"])
@pytest.mark.parametrize("tempo", [70, 100, 150])
def test_counting_follows_each_moves_phases_at_the_persons_tempo(speech: Speech, content, exercise: str,
                                                                  tempo: int) -> None:
    from skill.speech import counting

    beats = speech.count_beats(dict(exercise=exercise, reps_min=10, reps_max=10, tempo=tempo))
    times = [t for _, t in counting.rep_times(beats, speech.timing)]
    rep = sum(seconds for _, seconds in content.exercises[exercise].phases) * tempo / 100
    text = to_text("<speak>" + counting.ssml(beats) + "</speak>")
    assert len(times) == 10 and "ten" in text and prompts.LAST_THREE in text
    assert all(word in text for word, _ in content.exercises[exercise].phases)  # "pull … hold … back … one"
    # After the first two reps said through their phases, each rep's number comes one rep after the last,
    # except where a cue or "last three" is said between them.
    gaps = [b - a for a, b in itertools.pairwise(times[2:])]
    assert sum(1 for g in gaps if g == pytest.approx(rep, abs=0.05)) >= len(gaps) - 2
    assert all(g >= rep - 0.05 for g in gaps)


def test_a_range_of_reps_invites_more(speech: Speech) -> None:
    ranged = speech.fragment([say("count", exercise="band_pull_apart", reps_min=8, reps_max=12)])
    assert prompts.COUNT_MORE in ranged and to_text("<speak>" + ranged + "</speak>").count("twelve") == 1


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
        "finished": dict(workout="6 Minute Upper Back Workout", sets=16, minutes=6, week=2, days_per_week=5),
        "resuming": {}, "again": {}, "going_back": {}, "at_start": {}, "skipping": dict(name="I-Y-T"),
        "paused": dict(at=at), "status": dict(at=at, started=True), "workout_done": dict(workout="x"),
        "explain": dict(exercise="bow_and_arrow_row"), "unknown_exercise": dict(heard="x", suggestions=["I-Y-T"]),
        "which_exercise": {}, "back_to_workout": dict(at=rest_at), "help": {}, "welcome": {},
        "fallback": dict(in_workout=True, resolved=False),
        "welcome_back": dict(at=at), "in_progress": dict(at=at), "stopped": dict(at=at), "goodbye": {},
        "no_workout": {}, "no_exercises": dict(equipment=[]), "reprompt": dict(at=None),
        "rest_heart": dict(seconds=15, next=at), "safety": {}, "tempo_set": dict(slower=True),
        "tempo_limit": dict(slower=False), "easier": dict(exercise="i_y_t"), "harder": dict(exercise="i_y_t"),
        "cant_do": dict(exercise="i_y_t", swaps=["Scapular Push Ups"]), "muscles": dict(exercise="i_y_t"),
        "whats_next": dict(at=at), "last_move": {}, "time_left": dict(minutes=4, sets=9),
        "pain": dict(exercise="i_y_t", in_workout=True), "pain_reprompt": {},
        "equipment_set": dict(equipment=["band", "trx"]), "equipment_later": dict(equipment=["dumbbells"]),
    }
    missing = set(speech._render) - set(samples) - {
        "history", "history_none", "pair_code", "unpaired", "wearable_unavailable", "recovery_set",
        "recovery_range", "age_set", "age_range", "heart_rate_high", "heart_rate_recovered", "save_failed",
        "upload_offer", "upload_offer_reprompt", "upload_queued", "upload_declined", "upload_already",
        "upload_nothing", "upload_not_queued", "link_account", "uploads_unavailable", "storage_down",
        "heart_check", "what_now", "welcome_back_resume",
        # rendered by the plan-over-weeks tests (tests/functional/test_plan_over_weeks.py, test_reminders.py)
        "adopt_offer", "adopt_reprompt", "adopted", "card_heart", "card_week", "card_workout", "easier_as_taught",
        "easy_noted", "easy_top", "fresh_start", "missed_week", "no_reminders", "progress_accepted",
        "progress_declined", "progress_offer", "progress_reprompt", "reminder_declined", "reminder_offer",
        "reminders_cancelled", "reminders_failed", "reminders_permission", "reminders_set", "step_back",
        "step_cue", "week", "week_met",
        # rendered by the audio mode's tests (tests/functional/test_audio_mode.py and the clip tests)
        "ask_equipment", "ask_equipment_reprompt",  # tests/functional/test_what_people_say.py
        "relink",  # tests/functional/test_relink.py
        "reminders_allowed", "reminders_not_allowed",  # tests/integration/test_request_types.py
        "audio_resume", "count_in", "mode_audio", "mode_speech", "no_loop", "rest_hold", "rest_more", "transition"}
    assert missing == set(), f"prompts never rendered by this test: {sorted(missing)}"
    for key, params in samples.items():
        ssml = speech.ssml([say(key, **params)])
        assert check(ssml) == [] and to_text(ssml).strip(), key
    assert "Y position" in speech.ssml([say("status", at=at, started=True)])


def test_each_prompt_is_rendered_once_per_turn(content) -> None:
    """The engine measures every prompt while packing a response; sending it renders nothing again."""
    from skill.engine.coach import Coach
    from skill.engine.commands import Cmd, Command
    from skill.speech.ssml import BUDGET, Speech
    from tests.engine import handle

    speech = Speech(content)
    coach = Coach(content, speech.measure, BUDGET)
    out = handle(coach, None, Command(Cmd.START), 1_795_000_000_000)
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
        say("finished", workout="Full Upper Back Session", sets=18, minutes=14, week=1, days_per_week=5),
        say("explain", exercise="single_arm_kettlebell_row"),
    ]
    text = to_text(speech.ssml(prompts_))
    assert not re.search(r"\d", re.sub(r"\[\d+ s\]", "", text)), text  # '[12 s]' marks a silence
    assert "Set one of three. Eight to twelve reps." in text and "thirty second rest between sets" in text
    assert "three sets of eight to ten reps each arm" in text and "of five this week" in text


# -- rendering once, and sharing renderings across turns ------------------------------------------------------


def test_prompts_with_the_same_values_share_one_rendering(content) -> None:
    speech = Speech(content)
    first, again = say("praise", n=3), say("praise", n=3)  # two turns, two prompt objects, the same values
    assert speech.piece(first) == speech.piece(again) and speech.renders == 1
    speech.piece(say("praise", n=4))
    assert speech.renders == 2


def test_values_of_another_type_or_a_list_are_rendered_on_their_own(content) -> None:
    from skill.speech.ssml import _memo_key

    assert _memo_key(say("praise", n=1)) != _memo_key(say("praise", n=True))  # equal as keys, not as values
    assert _memo_key(say("intro", moves=["Band Pull Apart"])) is None  # a list cannot be a key
    speech = Speech(content)
    speech._render["probe"] = lambda a: " and ".join(a["names"])
    for _ in range(2):
        assert speech.piece(say("probe", names=["a", "b"])) == "a and b"  # no key: rendered for each new prompt
    assert speech.renders == 2


def test_the_shared_renderings_are_bounded(content, monkeypatch: pytest.MonkeyPatch) -> None:
    from skill.speech import ssml

    monkeypatch.setattr(ssml, "MEMO_SIZE", 5)
    speech = Speech(content)
    for n in range(12):
        speech.piece(say("praise", n=n))
    assert 0 < len(speech._memo) <= 5


def test_a_measure_is_the_cost_of_the_joined_text(content) -> None:
    from skill.engine.coach import Coach
    from skill.engine.commands import Cmd
    from skill.speech.ssml import BUDGET
    from tests.engine import Ask, handle

    speech = Speech(content)
    outcome = handle(Coach(content, speech.measure, BUDGET), None, Ask(Cmd.START), 1_795_000_000_000)
    groups = [list(outcome.speech[:n]) for n in range(len(outcome.speech) + 1)] + [[say("praise", n=0)] * 3]
    for group in groups:
        text = Speech(content).fragment(group)  # rendered afresh, then measured from the prompts' own costs
        cost = speech.measure(group)
        assert cost.chars == len(text) + (1 if text else 0)
        assert cost.seconds == pytest.approx(estimate_seconds(text), abs=1e-9)
