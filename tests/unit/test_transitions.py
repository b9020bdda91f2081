"""The transition table as data: every command answered in every phase, conditions in the table, effects typed."""

from __future__ import annotations

from dataclasses import replace

from skill.engine.coach import Coach
from skill.engine.commands import Cmd, Command
from skill.engine.effects import UploadRequested, WorkoutAbandoned, WorkoutFinished
from skill.engine.transitions import ANY, TABLE
from tests.engine import Ask, handle

T0 = 1_795_000_000_000


def test_every_command_ends_with_an_unconditional_row_for_every_phase() -> None:
    assert set(TABLE) == set(Cmd)
    for command, rows in TABLE.items():
        assert rows[-1].phases == ANY and rows[-1].condition is None, command


def after(out) -> int:
    return out.state.response_at_ms + out.state.timeline[-1].end_ms + 1000


def test_the_final_response_says_the_workout_finished_once(coach: Coach) -> None:
    out = handle(coach, None, Command(Cmd.START), T0)
    finished = []
    while not out.end_session:
        finished += [e for e in out.effects if isinstance(e, WorkoutFinished)]
        out = handle(coach, out.state, Command(Cmd.NEXT), after(out))
    finished += [e for e in out.effects if isinstance(e, WorkoutFinished)]
    assert len(finished) == 1 and finished[0].state.finished_at_ms == after(out) - 1000


def test_a_new_workout_abandons_one_under_way_but_never_a_finished_one(coach: Coach) -> None:
    out = handle(coach, None, Command(Cmd.START), T0)
    other = handle(coach, out.state, Command(Cmd.START, workout="full_session", equipment=("band",)), T0 + 5000)
    assert [type(e) for e in other.effects][:1] == [WorkoutAbandoned]
    while not out.end_session:
        out = handle(coach, out.state, Command(Cmd.NEXT), after(out))
    # "Start my back workout" while the final response is still being spoken: that workout is done, not dropped.
    again = handle(coach, out.state, Command(Cmd.START), out.state.response_at_ms + 2000)
    assert not any(isinstance(e, WorkoutAbandoned) for e in again.effects)


def test_yes_to_an_open_offer_requests_the_upload(coach: Coach) -> None:
    linked = Ask(Cmd.NEXT, upload_service="strava", linked=True)
    out = handle(coach, None, replace(linked, name=Cmd.START), T0)
    while out.state.upload != "offered":
        out = handle(coach, out.state, linked, after(out))
    yes = handle(coach, out.state, replace(linked, name=Cmd.YES), after(out))
    assert yes.effects == (UploadRequested("strava", out.state.started_at_ms),)
