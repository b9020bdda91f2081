"""Time: where a barge-in landed in the response being spoken, and when a saved workout is too old to resume
without asking."""

from __future__ import annotations

from dataclasses import replace

from skill.engine.plan import Plan
from skill.engine.state import DOING, FINISHED, OFFERED, PLAYING, READY, Done, WorkoutState

STALE_AFTER_MS = 12 * 3600 * 1000  # an older workout is offered ("resume or start over"), not resumed at once


def settle(plan: Plan, state: WorkoutState, now_ms: int) -> WorkoutState:
    """Turn a response in flight into a position: the segment being spoken at `now_ms`, or past its end.

    Request timestamps can step back (two Echos with skewed clocks): a time before the response began counts
    as its start, so nothing is logged with a negative length.
    """
    if state.phase != PLAYING:
        return state
    offset = max(0, now_ms - state.response_at_ms)
    heard = tuple(Done(s.step, state.response_at_ms + s.start_ms, s.duration_ms)
                  for s in state.timeline if s.end_ms <= offset)
    done = state.done + heard
    for seg in state.timeline:
        if offset < seg.end_ms:
            phase = DOING if offset >= seg.start_ms else READY
            # Cut off before the end: an upload offer at the end of this response was never heard.
            upload = "" if state.upload == OFFERED else state.upload
            return replace(state.at(seg.step, phase), updated_at_ms=max(now_ms, state.updated_at_ms), done=done,
                           step_started_ms=state.response_at_ms + seg.start_ms, upload=upload)
    last = plan.index(state.timeline[-1].step)
    assert last is not None  # the engine checked the timeline against the plan
    heard_all_at = min(max(now_ms, state.response_at_ms), state.response_at_ms + state.timeline[-1].end_ms)
    if last + 1 >= len(plan.steps):
        return replace(state.at(plan.steps[-1].id, FINISHED), updated_at_ms=heard_all_at, done=done)
    return replace(state.at(plan.steps[last + 1].id, READY), updated_at_ms=heard_all_at, done=done)


def is_stale(state: WorkoutState, now_ms: int) -> bool:
    return now_ms - state.updated_at_ms > STALE_AFTER_MS
