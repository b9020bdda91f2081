"""Packing the workout into responses: as much as one response may carry, ending where a set or a rest ends."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from skill.engine.commands import Command, Outcome
from skill.engine.effects import Effect, WorkoutFinished
from skill.engine.plan import REST, Plan
from skill.engine.script import Prompt, say
from skill.engine.state import OFFERED, PLAYING, Segment, WorkoutState
from skill.engine.steps import ends_set, step_prompts, tail
from skill.engine.views import where

if TYPE_CHECKING:
    from skill.engine.coach import Coach


def play(
    coach: Coach, plan: Plan, state: WorkoutState, index: int, now_ms: int, preamble: list[Prompt], result: str,
    teach: bool = False, command: Command | None = None,
) -> Outcome:
    """Speak the workout from step `index` on, as far as one response allows, and remember its timeline.

    With a live heart rate, a rest ends the response: the next request decides whether the heart has
    recovered, since nothing reaches the skill while a response is being spoken.
    """
    heart_rate_live = command is not None and live(command, now_ms)
    offer_to = upload_offer(state, command)
    cost = coach.measure(preamble)
    packed: list[tuple[Segment, list[Prompt], int]] = []  # each step's segment, prompts, praise count after
    praise = state.praise
    i = index
    tails: dict[int, list[Prompt]] = {}  # the closing words measured after each step, sent as measured

    def closing_after(j: int) -> list[Prompt]:
        return tails.setdefault(j, tail(plan, j, offer_to))

    while i < len(plan.steps):
        group, next_praise = step_prompts(plan, i, first=i == index, teach=teach, praise=praise,
                                          variants=command.coaching.steps if command is not None else None)
        group_cost = coach.measure(group)
        total = cost + group_cost + coach.measure(closing_after(i + 1))
        if packed and (total.chars > coach.budget.max_chars or total.seconds > coach.budget.max_seconds):
            break
        packed.append((Segment(plan.steps[i].id, round(cost.seconds * 1000), round(group_cost.seconds * 1000)),
                       group, next_praise))
        cost = cost + group_cost
        praise = next_praise
        i += 1
        if heart_rate_live and plan.steps[i - 1].kind == REST and i < len(plan.steps):
            break
    heart_check = heart_rate_live and 0 < i < len(plan.steps) and plan.steps[i - 1].kind == REST
    if i < len(plan.steps) and not heart_check:
        # Out of room: end the response where a set or a rest ends, not between two arms or letters.
        ends = [n for n, (seg, _, _) in enumerate(packed, 1) if ends_set(plan, plan.index(seg.step) or 0)]
        if ends:
            packed = packed[: ends[-1]]
            i = (plan.index(packed[-1][0].step) or 0) + 1
            praise = packed[-1][2]
    segments = tuple(seg for seg, _, _ in packed)
    speech = list(preamble) + [prompt for _, group, _ in packed for prompt in group]
    closing_prompts = [say("heart_check")] if heart_check else closing_after(i)
    finished = i >= len(plan.steps)
    offered = finished and bool(offer_to)
    new_state = replace(
        state.at(plan.steps[index].id, PLAYING),
        timeline=segments, response_at_ms=now_ms, updated_at_ms=now_ms, praise=praise,
        upload=OFFERED if offered else state.upload,
    )
    effects: tuple[Effect, ...] = ()
    if finished:
        new_state = replace(new_state, finished_at_ms=state.finished_at_ms or now_ms + segments[-1].end_ms)
        effects = (WorkoutFinished(new_state),)
    if offered:
        reprompt: tuple[Prompt, ...] = (say("upload_offer_reprompt", service=offer_to),)
    else:
        reprompt = () if finished else (say("continue_reprompt", at=where(plan, i)),)
    return Outcome(result=result, state=new_state, speech=tuple(speech + closing_prompts), reprompt=reprompt,
                   end_session=finished and not offered, effects=effects)


def upload_offer(state: WorkoutState, command: Command | None) -> str:
    """The service to offer the finished workout to: once per workout, and only to a linked account."""
    if command is None or not command.upload_service or not command.linked or state.upload:
        return ""
    return command.upload_service


def live(command: Command, now_ms: int) -> bool:
    return command.vitals is not None and command.vitals.fresh(now_ms)
