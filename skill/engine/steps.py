"""What to say for each step of a plan: a move's name, cues, side or letter and count; a rest; the end."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from skill.engine.plan import LETTER, MOVE, REST, Plan
from skill.engine.script import P, Prompt, say
from skill.engine.views import where


def step_prompts(
    plan: Plan, i: int, first: bool, teach: bool, praise: int, tempo: int = 100, taught: tuple[str, ...] = (),
    ends: bool = False, variants: Mapping[str, str] | None = None,
) -> tuple[list[Prompt], int]:
    """The prompts of step `i` (the first of a response when `first`), and the praise count after it.

    A move is taught in full the first time the person ever does it (not in `taught`), or when they asked to
    hear it again (`teach` on the first step); otherwise its key cue. `ends`: the response ends with this step.
    `variants`: exercise id -> the progression the person does it with (pause reps, slow lowering...): said as
    each set starts, and passed to the count, which counts that way.
    """
    step = plan.steps[i]
    variant = (variants or {}).get(step.exercise_id, "")
    if step.kind == REST:
        following = plan.steps[i + 1] if i + 1 < len(plan.steps) else None
        nxt = where(plan, i + 1) if following else None
        new_move = following is not None and following.part == 0 and following.set == 1
        return [say(P.REST, seconds=step.rest_seconds, next=nxt, ends=ends,
                    setup=following.exercise_id if new_move and following else "")], praise
    out: list[Prompt] = []
    previous = plan.steps[i - 1] if i > 0 else None
    if plan.rounds > 1 and previous is not None and (first or previous.round != step.round):
        out.append(say(P.ROUND, round=step.round, rounds=plan.rounds))
    new_set = first or step.part == 0
    learning = step.exercise_id not in taught and step.round == 1 and step.set == 1  # the first time ever
    full_cues = (learning and step.part == 0) or (first and teach)
    if new_set:
        out.append(say(P.EXERCISE, at=where(plan, i)))
        out.append(say(P.CUE, exercise=step.exercise_id, full=full_cues))
        if variant:
            out.append(say(P.STEP_CUE, step=variant))
    if step.part_kind == LETTER:
        # Each letter is taught as it comes, once: the first time ever, or when asked to hear it again.
        out.append(say(P.LETTER, exercise=step.exercise_id, index=step.part, letter=step.part_label,
                       cue=(learning or (first and teach)) and not (new_set and full_cues and step.part == 0)))
    elif step.part_kind:
        out.append(say(P.PART, kind=step.part_kind, label=step.part_label, switch=not new_set))
    counted: dict[str, Any] = {"variant": variant} if variant else {}
    if learning:  # the first time ever: a form caution while the set moves, not before it
        counted["learning"] = True
    out.append(say(P.COUNT, exercise=step.exercise_id, reps_min=step.reps_min, reps_max=step.reps_max,
                   tempo=tempo, **counted))
    if step.part == step.parts - 1:
        praise += 1
        out.append(say(P.PRAISE, n=praise))
    return out, praise


def tail(plan: Plan, i: int, offer_to: str = "", minutes: int = 0, week_count: int = 0) -> list[Prompt]:
    """How a response that ends before step `i` closes: what comes next, or the end of the workout in one sentence
    of what was done (sets as the person counts them, minutes of work) and the week so far."""
    if i >= len(plan.steps):
        w = plan.workout
        done = [say(P.FINISHED, workout=w.name, sets=plan.move_count(), minutes=max(1, minutes),
                    week=week_count + 1, days_per_week=w.days_per_week)]
        return done + ([say(P.UPLOAD_OFFER, service=offer_to)] if offer_to else [])
    if plan.steps[i - 1].kind == REST if i > 0 else False:
        return []  # the rest that ends the response already said what comes next
    return [say(P.CONTINUE, at=where(plan, i))]


def ends_set(plan: Plan, i: int) -> bool:
    """Whether a response may end after step `i`: after a rest, or after a set that no rest follows."""
    step = plan.steps[i]
    if step.kind == REST:
        return True
    following = plan.steps[i + 1] if i + 1 < len(plan.steps) else None
    return step.part == step.parts - 1 and (following is None or following.kind != REST)


def move_names(plan: Plan) -> tuple[str, ...]:
    """The moves of a round, once each, as the workout names them (a tuple: a prompt's values are kept as keys)."""
    seen: dict[int, str] = {}
    for s in plan.steps:
        if s.kind == MOVE and s.round == 1:
            seen.setdefault(s.exercise, s.display_name)
    return tuple(seen.values())
