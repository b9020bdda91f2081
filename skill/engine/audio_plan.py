"""The audio mode's plan: each step of a workout as one or more clips ("tracks"), in the order they play.

A move is one track (its prompts from steps.py, the same as the speech mode's); a move that follows another
with no rest between starts with a short transition; a rest is a hold, then the count-in, with extra
fifteen-second tracks between them while the heart has not recovered. A track is named by its step's stable
id and its part, so every AudioPlayer event says exactly where the person is. Pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from skill.engine.plan import MOVE, REST, Plan
from skill.engine.rest import MAX_REST_SECONDS, STEP_SECONDS
from skill.engine.script import P, Prompt, say
from skill.engine.steps import move_names, step_prompts, tail
from skill.engine.views import Where, where

# Parts of a step.
INTRO, SETUP, MAIN, COUNT_IN, END = "intro", "setup", "main", "count", "end"
MORE = "more"  # an extra rest: "more1", "more2", ...
COUNT_IN_SECONDS = 4  # "three, two, one, and go"
SETUP_SECONDS = 5  # from one move to the next with no rest between: time to pick up the band


@dataclass(frozen=True)
class Track:
    step: str  # the step's stable id
    part: str
    prompts: tuple[Prompt, ...]
    at: Where  # the step, for the player screen's title and subtitle

    @property
    def extra(self) -> int:
        """Which extra rest this is (1, 2, ...), 0 for any other track."""
        return int(self.part[len(MORE):]) if self.part.startswith(MORE) and self.part[len(MORE):].isdigit() else 0


def praise_before(plan: Plan, i: int) -> int:
    """How many sets end before step `i`: the praise count, the same wherever the person starts or resumes."""
    return sum(1 for s in plan.steps[:i] if s.kind == MOVE and s.part == s.parts - 1)


def hold_seconds(rest_seconds: int) -> int:
    return max(1, rest_seconds - COUNT_IN_SECONDS)


@cache
def step_tracks(plan: Plan, i: int) -> tuple[Track, ...]:
    """The tracks step `i` always has, in order (extra rests are added as the heart asks)."""
    step, at = plan.steps[i], where(plan, i)
    out: list[Track] = []
    if i == 0:
        w = plan.workout
        out.append(Track(step.id, INTRO, (say(P.INTRO, workout=w.name, moves=_moves(plan), rounds=w.rounds,
                                                  minutes=w.minutes, round_rest=w.rest_between_rounds_seconds,
                                                  set_rest=w.rest_between_sets_seconds),), at))
    if step.kind == REST:
        following = where(plan, i + 1) if i + 1 < len(plan.steps) else None
        hold = say(P.REST_HOLD, seconds=hold_seconds(step.rest_seconds), total=step.rest_seconds, next=following)
        out.append(Track(step.id, MAIN, (hold,), at))
        out.append(Track(step.id, COUNT_IN, (say(P.COUNT_IN, seconds=COUNT_IN_SECONDS),), at))
    else:
        previous = plan.steps[i - 1] if i > 0 else None
        if previous is not None and previous.kind == MOVE and step.part == 0:
            out.append(Track(step.id, SETUP, (say(P.TRANSITION, at=at, seconds=SETUP_SECONDS),), at))
        prompts, _ = step_prompts(plan, i, first=False, teach=False, praise=praise_before(plan, i))
        out.append(Track(step.id, MAIN, tuple(prompts), at))
    if i == len(plan.steps) - 1:
        out.append(Track(step.id, END, tuple(tail(plan, len(plan.steps))), at))
    return tuple(out)


def extra_track(plan: Plan, i: int, n: int) -> Track:
    return Track(plan.steps[i].id, f"{MORE}{n}", (say(P.REST_MORE, seconds=STEP_SECONDS),), where(plan, i))


def find(plan: Plan, step_id: str, part: str) -> Track | None:
    """The track `part` of step `step_id`, or None when the plan has no such track."""
    i = plan.index(step_id)
    if i is None:
        return None
    for track in step_tracks(plan, i):
        if track.part == part:
            return track
    step = plan.steps[i]
    if step.kind == REST and part.startswith(MORE):
        n = Track(step_id, part, (), where(plan, i)).extra
        if 0 < n <= max_extras(step.rest_seconds):
            return extra_track(plan, i, n)
    return None


def max_extras(rest_seconds: int) -> int:
    return max(0, (MAX_REST_SECONDS - rest_seconds) // STEP_SECONDS + 1)


def first_track(plan: Plan, i: int, intro: bool = False) -> Track:
    """Where step `i` starts playing (the workout's introduction only when asked)."""
    tracks = step_tracks(plan, i)
    return tracks[0] if intro or tracks[0].part != INTRO else tracks[1]


def rested_seconds(plan: Plan, track: Track) -> int:
    """How long a rest has lasted once `track` (its hold or an extra) has played through."""
    step = plan.steps[plan.index(track.step) or 0]
    return hold_seconds(step.rest_seconds) + STEP_SECONDS * track.extra


def after(plan: Plan, track: Track, extra_rest: bool = False) -> Track | None:
    """The track that plays after `track`: with `extra_rest` (the heart has not recovered), fifteen more seconds of
    rest; None after the last track of the workout."""
    i = plan.index(track.step)
    assert i is not None
    if plan.steps[i].kind == REST and (track.part == MAIN or track.extra):
        return extra_track(plan, i, track.extra + 1) if extra_rest else find(plan, track.step, COUNT_IN)
    tracks = step_tracks(plan, i)
    parts = [t.part for t in tracks]
    if track.part in parts and parts.index(track.part) + 1 < len(tracks):
        return tracks[parts.index(track.part) + 1]
    return first_track(plan, i + 1) if i + 1 < len(plan.steps) else None


def all_tracks(plan: Plan) -> list[Track]:
    """Every track the plan can play: each step's tracks and every extra rest the cap allows."""
    out: list[Track] = []
    for i, step in enumerate(plan.steps):
        out += step_tracks(plan, i)
        if step.kind == REST:
            out += [extra_track(plan, i, n) for n in range(1, max_extras(step.rest_seconds) + 1)]
    return out


def _moves(plan: Plan) -> tuple[str, ...]:
    return move_names(plan)
