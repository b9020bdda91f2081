"""Any sequence of commands, at any times, leaves the engine in a valid state and never raises."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from skill.engine.coach import Coach
from skill.engine.commands import Cmd, Command
from skill.speech.ssml import Speech, check
from tests.engine import handle

T0 = 1_795_000_000_000
STILL = {Cmd.PAUSE, Cmd.STATUS, Cmd.EXPLAIN, Cmd.HELP, Cmd.FALLBACK, Cmd.STOP, Cmd.SESSION_END, Cmd.LAUNCH}

commands = st.one_of(
    st.sampled_from([Command(c) for c in Cmd if c is not Cmd.EXPLAIN]),
    st.builds(lambda w, e: Command(Cmd.START, workout=w, equipment=e),
              st.sampled_from(["", "six_minute", "full_session", "nonsense"]),
              st.sampled_from([(), ("band",), ("none",), ("trx",), ("dumbbells",)])),
    st.builds(lambda e, h: Command(Cmd.EXPLAIN, exercise=e, heard=h),
              st.sampled_from(["", "i_y_t", "band_pull_apart", "nope"]), st.sampled_from(["", "burpee", "row"])),
)
# Gaps between requests: barge-ins a moment after a response began, whole responses, days.
gaps = st.one_of(st.integers(0, 5_000), st.integers(5_000, 300_000), st.integers(300_000, 3 * 86_400_000))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(commands, gaps), max_size=30))
def test_any_command_sequence_keeps_a_valid_state(coach: Coach, speech: Speech, script) -> None:
    state, now = None, T0
    for command, gap in script:
        now += gap
        before = coach.completed_moves(coach.settle(state, now)) if state and coach.plan(state) else 0
        outcome = handle(coach, state, command, now)
        state = outcome.state
        if state is not None:
            assert coach.plan(state) is not None, (command, state)
        if command.name in STILL and state is not None:
            assert coach.completed_moves(state) >= before, command
        assert check(speech.ssml(outcome.speech)) == []
        if not outcome.end_session:
            assert outcome.reprompt and check(speech.ssml(outcome.reprompt)) == []
