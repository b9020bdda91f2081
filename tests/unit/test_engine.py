"""The workout engine: positions, commands, barge-ins, explicit outcomes; no framework in sight."""

from __future__ import annotations

import ast
import itertools
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from skill.content import load_content
from skill.engine.coach import Coach
from skill.engine.commands import Cmd, Command, Outcome
from skill.engine.plan import build_plan
from skill.engine.state import DOING, FINISHED, PAUSED, PLAYING, READY, WorkoutState
from skill.speech.ssml import check
from tests.engine import Ask, handle

T0 = 1_795_000_000_000  # ms
ENGINE = Path(__file__).resolve().parents[2] / "skill" / "engine"
FRAMEWORKS = ("ask_sdk", "boto3", "botocore", "flask", "flask_ask_sdk")


def start(coach: Coach, workout: str = "") -> Outcome:
    return handle(coach, None, Command(Cmd.START, workout=workout), T0)


def index(state: WorkoutState, step_id: str) -> int:
    """Where the step `step_id` is in the plan of the state's workout."""
    found = build_plan(load_content(), state.workout, state.equipment).index(step_id)
    assert found is not None
    return found


def indexes(state: WorkoutState) -> list[int]:
    return [index(state, s.step) for s in state.timeline]


def during(outcome: Outcome, step: int, into_ms: int = 500) -> int:
    """The time `into_ms` into the segment of `step` in the outcome's response."""
    seg = next(s for s in outcome.state.timeline if index(outcome.state, s.step) == step)
    return outcome.state.response_at_ms + seg.start_ms + into_ms


def after(outcome: Outcome) -> int:
    return outcome.state.response_at_ms + outcome.state.timeline[-1].end_ms + 1000


def position(coach: Coach, state: WorkoutState) -> int:
    return coach.position(state)


def test_engine_imports_no_framework() -> None:
    for path in ENGINE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.startswith(FRAMEWORKS), f"{path.name} imports {name}"
    code = f"import skill.engine.coach, sys; print(sorted(m for m in sys.modules if m.split('.')[0] in {FRAMEWORKS!r}))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_start_carries_as_much_as_one_response_allows(coach: Coach, speech) -> None:
    out = start(coach)
    assert out.result == "started" and out.state.phase == PLAYING and not out.end_session
    timeline = out.state.timeline
    assert indexes(out.state) == list(range(len(timeline))) and len(timeline) >= 4
    for a, b in itertools.pairwise(timeline):
        assert b.start_ms == a.end_ms
    ssml = speech.ssml(out.speech)
    assert check(ssml) == [] and speech.measure(out.speech).seconds <= coach.budget.max_seconds
    assert out.reprompt


def test_barge_in_lands_on_the_segment_being_spoken(coach: Coach) -> None:
    out = start(coach)
    settled = coach.settle(out.state, during(out, 2))
    assert (position(coach, settled), settled.phase) == (2, DOING)
    before_first = coach.settle(out.state, out.state.response_at_ms + 100)
    assert (position(coach, before_first), before_first.phase) == (0, READY)
    finished = coach.settle(out.state, after(out))
    assert (position(coach, finished), finished.phase) == (indexes(out.state)[-1] + 1, READY)


@pytest.mark.parametrize("step", [0, 2, 3])
def test_next_repeat_previous_act_on_the_move_being_done(coach: Coach, step: int) -> None:
    out = start(coach)
    at = during(out, step)
    nxt = handle(coach, out.state, Command(Cmd.NEXT), at)
    assert position(coach, nxt.state) == step + 1
    again = handle(coach, out.state, Command(Cmd.REPEAT), at)
    assert position(coach, again.state) == step
    back = handle(coach, out.state, Command(Cmd.PREVIOUS), at)
    assert (back.result, position(coach, back.state)) == (("at_start", 0) if step == 0 else ("previous", step - 1))


def test_pause_keeps_the_move_and_resume_restarts_it(coach: Coach) -> None:
    out = start(coach)
    paused = handle(coach, out.state, Command(Cmd.PAUSE), during(out, 1))
    assert paused.result == "paused" and paused.end_session and paused.state.phase == PAUSED
    assert position(coach, paused.state) == 1
    again = handle(coach, paused.state, Command(Cmd.PAUSE), T0 + 10**7)
    assert again.result == "already_paused" and again.state == paused.state
    resumed = handle(coach, paused.state, Command(Cmd.RESUME), T0 + 10**8)
    assert resumed.result == "resumed" and indexes(resumed.state)[0] == 1


def test_next_after_a_whole_response_starts_what_comes_next(coach: Coach) -> None:
    out = start(coach)
    nxt = handle(coach, out.state, Command(Cmd.NEXT), after(out))
    assert indexes(nxt.state)[0] == indexes(out.state)[-1] + 1


def test_skip_moves_past_every_part_of_the_exercise(coach: Coach) -> None:
    out = start(coach)
    skipped = handle(coach, out.state, Command(Cmd.SKIP), during(out, 0))
    plan = build_plan(coach.content, "six_minute")
    assert plan.steps[position(coach, skipped.state)].exercise_id == "single_arm_mini_loop_pulldown"
    assert skipped.result == "skipped"


def test_status_explain_and_help_leave_the_position_alone(coach: Coach) -> None:
    out = start(coach)
    at = during(out, 3)
    settled = coach.settle(out.state, at)
    for command in (Command(Cmd.STATUS), Command(Cmd.EXPLAIN, exercise="i_y_t"), Command(Cmd.HELP),
                    Command(Cmd.EXPLAIN, heard="burpee"), Command(Cmd.FALLBACK), Command(Cmd.EXPLAIN)):
        answer = handle(coach, out.state, command, at)
        assert answer.state == settled and not answer.end_session and answer.reprompt, command
    this_one = handle(coach, out.state, Command(Cmd.EXPLAIN), at)
    assert this_one.speech[0].params["exercise"] == "single_arm_mini_loop_pulldown"
    unknown = handle(coach, out.state, Command(Cmd.EXPLAIN, heard="burpee"), at)
    assert unknown.result == "unknown_exercise" and len(unknown.speech[0].params["suggestions"]) == 2


def test_commands_that_make_no_sense_get_explicit_outcomes(coach: Coach) -> None:
    for name in (Cmd.NEXT, Cmd.PREVIOUS, Cmd.REPEAT, Cmd.PAUSE, Cmd.RESUME, Cmd.SKIP, Cmd.STATUS):
        out = handle(coach, None, Command(name), T0)
        assert out.result == "no_workout" and out.state is None and not out.end_session
    done = replace(start(coach).state, phase=FINISHED, timeline=(), response_at_ms=0)
    for name in (Cmd.NEXT, Cmd.PREVIOUS, Cmd.REPEAT, Cmd.PAUSE, Cmd.RESUME, Cmd.SKIP, Cmd.STATUS):
        assert handle(coach, done, Command(name), T0).result == "workout_done"


def test_start_with_a_workout_under_way_offers_resume_instead_of_losing_it(coach: Coach) -> None:
    out = start(coach)
    later = handle(coach, out.state, Command(Cmd.NEXT), after(out))
    offer = handle(coach, later.state, Command(Cmd.START), T0 + 3600_000)
    assert offer.result == "offer_resume" and position(coach, offer.state) > 0
    over = handle(coach, offer.state, Command(Cmd.START_OVER), T0 + 3601_000)
    assert over.result == "started" and indexes(over.state)[0] == 0
    other = handle(coach, later.state, Command(Cmd.START, workout="full_session", equipment=("band",)), T0)
    assert other.result == "started" and other.state.workout == "full_session"


def test_the_whole_circuit_by_next_finishes_and_ends_the_session(coach: Coach) -> None:
    out = start(coach)
    turns = 1
    while not out.end_session:
        out = handle(coach, out.state, Command(Cmd.NEXT), after(out))
        turns += 1
    assert out.result == "next" and turns <= 4
    done = coach.settle(out.state, after(out))
    assert done.phase == FINISHED and coach.completed_moves(done) == 16


def test_state_survives_storage_round_trips(coach: Coach) -> None:
    out = start(coach)
    data = out.state.to_dict()
    assert WorkoutState.from_dict(data) == out.state
    as_decimal = {k: (Decimal(v) if isinstance(v, int) and not isinstance(v, bool) else v) for k, v in data.items()}
    as_decimal["timeline"] = [[seg[0], Decimal(seg[1]), Decimal(seg[2])] for seg in data["timeline"]]
    assert WorkoutState.from_dict(as_decimal) == out.state


AT = {"workout": "six_minute", "position": "r1.band_pull_apart.s1.overhand-grip"}


@pytest.mark.parametrize("data", [None, 7, {}, {"workout": 3}, {"workout": "six_minute"},
                                  {**AT, "position": 2}, {**AT, "position": "x" * 500},
                                  {**AT, "phase": "dancing"}, {**AT, "timeline": [[1, 2]]},
                                  {**AT, "timeline": [[1, 2, 3]]}, {**AT, "praise": 1.5},
                                  {**AT, "done": [["a", 1]]}, {**AT, "upload": "maybe"}])
def test_malformed_stored_state_is_refused_not_raised(data) -> None:
    assert WorkoutState.from_dict(data) is None


def test_a_state_that_no_longer_fits_the_content_is_dropped(coach: Coach) -> None:
    ghost = WorkoutState(workout="six_minute", position="r9.band_pull_apart.s1.overhand-grip")
    assert coach.plan(ghost) is None
    assert handle(coach, ghost, Command(Cmd.NEXT), T0).result == "no_workout"
    unknown = WorkoutState(workout="marathon", position="r1.band_pull_apart.s1.overhand-grip")
    assert handle(coach, unknown, Command(Cmd.LAUNCH), T0).result == "welcome"


def finish(coach: Coach, command: Command) -> Outcome:
    """The circuit by "next" with the given upload context, up to its last response."""
    out = handle(coach, None, replace(command, name=Cmd.START), T0)
    while out.state.upload == "" and not out.end_session:
        out = handle(coach, out.state, replace(command, name=Cmd.NEXT), after(out))
    return out


LINKED = Ask(Cmd.NEXT, upload_service="strava", linked=True)


def test_a_finished_workout_is_offered_once_to_a_linked_account(coach: Coach, speech) -> None:
    out = finish(coach, LINKED)
    assert out.state.upload == "offered" and not out.end_session
    assert [p.key for p in out.speech[-2:]] == ["finished", "upload_offer"]
    assert out.reprompt[0].key == "upload_offer_reprompt"
    assert check(speech.ssml(out.speech)) == []  # the question still fits the response's budget
    yes = handle(coach, out.state, replace(LINKED, name=Cmd.YES), after(out))
    assert yes.result == "upload_queued" and yes.state.upload == "queued" and yes.end_session
    again = handle(coach, yes.state, replace(LINKED, name=Cmd.YES), after(out) + 1000)
    assert again.result == "fallback"  # no question is open any more: a second yes queues nothing
    asked = handle(coach, yes.state, replace(LINKED, name=Cmd.UPLOAD), after(out) + 2000)
    assert asked.result == "upload_already" and asked.state == yes.state


def test_no_declines_and_asking_later_still_sends_it(coach: Coach) -> None:
    out = finish(coach, LINKED)
    no = handle(coach, out.state, replace(LINKED, name=Cmd.NO), after(out))
    assert no.result == "upload_declined" and no.state.upload == "declined" and no.end_session
    later = handle(coach, no.state, replace(LINKED, name=Cmd.UPLOAD), after(out) + 60_000)
    assert later.result == "upload_queued" and later.state.upload == "queued"


@pytest.mark.parametrize("command, result", [
    (Command(Cmd.NEXT), "uploads_unavailable"),
    (Ask(Cmd.NEXT, upload_service="fitbit"), "link_account"),
])
def test_without_uploads_or_a_linked_account_nothing_is_offered(coach: Coach, command: Command, result: str) -> None:
    out = finish(coach, command)
    keys = [p.key for p in out.speech]
    assert out.end_session and out.state.upload == "" and "finished" in keys
    assert not any(key.startswith("upload") for key in keys)
    asked = handle(coach, out.state, replace(command, name=Cmd.UPLOAD), after(out))
    assert asked.result == result and asked.state.upload == ""


def test_upload_mid_workout_and_yes_or_no_out_of_context_keep_the_workout(coach: Coach) -> None:
    out = handle(coach, None, replace(LINKED, name=Cmd.START), T0)
    at = during(out, 2)
    for name, result in ((Cmd.UPLOAD, "upload_nothing"), (Cmd.YES, "fallback"), (Cmd.NO, "fallback")):
        answer = handle(coach, out.state, replace(LINKED, name=name), at)
        assert answer.result == result and not answer.end_session
        assert position(coach, answer.state) == position(coach, coach.settle(out.state, at))
        assert answer.state.upload == ""


def test_an_offer_cut_off_by_a_barge_in_is_asked_again_at_the_new_end(coach: Coach) -> None:
    out = finish(coach, LINKED)
    last = indexes(out.state)[-1]
    assert coach.settle(out.state, during(out, last)).upload == ""  # the question was never heard
    back = handle(coach, out.state, replace(LINKED, name=Cmd.PREVIOUS), during(out, last))
    assert back.result == "previous" and back.state.upload == "offered" and back.speech[-1].key == "upload_offer"
    assert coach.settle(back.state, after(back)).upload == "offered"  # heard this time: a yes now sends it
    yes = handle(coach, back.state, replace(LINKED, name=Cmd.YES), after(back))
    assert yes.result == "upload_queued"
