"""Packing the workout into responses: as much as one response may carry, ending where a set or a rest ends."""

from __future__ import annotations

from dataclasses import replace

from skill.engine.calendar import week_of
from skill.engine.coach import Coach
from skill.engine.commands import Outcome
from skill.engine.context import Context
from skill.engine.effects import Effect, ExercisesTaught
from skill.engine.plan import REST, Plan
from skill.engine.replies import workout_finished
from skill.engine.rest import STEP_SECONDS
from skill.engine.script import P, Prompt, say
from skill.engine.state import OFFERED, PLAYING, Segment, WorkoutState
from skill.engine.steps import ends_set, step_prompts, tail
from skill.engine.views import where
from skill.engine.weeks import finished_in


def play(
    coach: Coach, plan: Plan, state: WorkoutState, index: int, now_ms: int, preamble: list[Prompt], result: str,
    *, ctx: Context, teach: bool = False, tempo: int | None = None,
) -> Outcome:
    """Speak the workout from step `index` on, as far as one response allows, and remember its timeline.

    With a live heart rate, a rest ends the response after a short first stretch: the next request decides
    whether the heart has recovered, since nothing reaches the skill while a response is being spoken.
    `tempo`: the count's tempo when it changes in this very turn (otherwise the record's).
    """
    heart_rate_live = live(ctx, now_ms)
    offer_to = upload_offer(state, ctx)
    tempo = ctx.tempo if tempo is None else tempo
    cost = coach.measure(preamble)
    packed: list[tuple[Segment, list[Prompt], int]] = []  # each step's segment, prompts, praise count after
    praise = state.praise
    i = index
    tails: dict[int, list[Prompt]] = {}  # the closing words measured after each step, sent as measured
    done_ms = sum(d.duration_ms for d in state.done)
    week_count = len(finished_in(ctx.history, week_of(now_ms, ctx.zone), ctx.zone))

    def closing_after(j: int) -> list[Prompt]:
        if j not in tails:
            minutes = round((done_ms + cost.seconds * 1000) / 60_000)
            tails[j] = tail(plan, j, offer_to, minutes=minutes, week_count=week_count)
        return tails[j]

    while i < len(plan.steps):
        step = plan.steps[i]
        if heart_rate_live and step.kind == REST and i + 1 < len(plan.steps):
            # The heart decides how long this rest lasts: a first stretch, then the next request checks it.
            group = [say(P.REST_HEART, seconds=min(STEP_SECONDS, step.rest_seconds), next=where(plan, i + 1))]
            next_praise = praise
        else:
            group, next_praise = step_prompts(plan, i, first=i == index, teach=teach, praise=praise,
                                              tempo=tempo, taught=ctx.taught,
                                              variants=ctx.coaching.steps)
        group_cost = coach.measure(group)
        total = cost + group_cost + coach.measure(closing_after(i + 1))
        if packed and (total.chars > coach.budget.max_chars or total.seconds > coach.budget.max_seconds):
            break
        packed.append((Segment(step.id, round(cost.seconds * 1000), round(group_cost.seconds * 1000)), group,
                       next_praise))
        cost = cost + group_cost
        praise = next_praise
        i += 1
        if heart_rate_live and step.kind == REST and i < len(plan.steps):
            break
    heart_check = heart_rate_live and 0 < i < len(plan.steps) and plan.steps[i - 1].kind == REST
    if i < len(plan.steps) and not heart_check:
        # Out of room: end the response where a set or a rest ends, not between two arms or letters.
        ends = [n for n, (seg, _, _) in enumerate(packed, 1) if ends_set(plan, plan.index(seg.step) or 0)]
        if ends:
            packed = packed[: ends[-1]]
            i = (plan.index(packed[-1][0].step) or 0) + 1
            praise = packed[-1][2]
        if plan.steps[i - 1].kind == REST:
            packed[-1] = _ending_rest(coach, plan, i - 1, packed[-1])
    segments = tuple(seg for seg, _, _ in packed)
    speech = list(preamble) + [prompt for _, group, _ in packed for prompt in group]
    closing_prompts = [say(P.HEART_CHECK)] if heart_check else closing_after(i)
    finished = i >= len(plan.steps)
    offered = finished and bool(offer_to)
    new_state = replace(
        state.at(plan.steps[index].id, PLAYING),
        timeline=segments, response_at_ms=now_ms, updated_at_ms=now_ms, praise=praise,
        upload=OFFERED if offered else state.upload,
    )
    effects: list[Effect] = []
    taught = tuple(dict.fromkeys(p.params["exercise"] for p in speech if p.key == P.CUE and p.params.get("full")))
    if taught:
        effects.append(ExercisesTaught(taught))
    if finished:
        new_state = replace(new_state, finished_at_ms=state.finished_at_ms or now_ms + segments[-1].end_ms)
        effects.append(workout_finished(plan, new_state, ctx, now_ms))
    if offered:
        reprompt: tuple[Prompt, ...] = (say(P.UPLOAD_OFFER_REPROMPT, service=offer_to),)
    else:
        reprompt = () if finished else (say(P.CONTINUE_REPROMPT, at=where(plan, i)),)
    return Outcome(result=result, state=new_state, speech=tuple(speech + closing_prompts), reprompt=reprompt,
                   end_session=finished and not offered, effects=tuple(effects))


def _ending_rest(
    coach: Coach, plan: Plan, i: int, packed: tuple[Segment, list[Prompt], int],
) -> tuple[Segment, list[Prompt], int]:
    """A rest that ends the response says "then say next" and stops at the end of the rest, never with "go"."""
    segment, _, praise = packed
    step = plan.steps[i]
    ending = [say(P.REST, seconds=step.rest_seconds, next=where(plan, i + 1), ends=True, setup="")]
    return replace(segment, duration_ms=round(coach.measure(ending).seconds * 1000)), ending, praise


def upload_offer(state: WorkoutState, ctx: Context) -> str:
    """The service to offer the finished workout to: once per workout, and only to a linked account."""
    if not ctx.upload_service or not ctx.linked or state.upload:
        return ""
    return ctx.upload_service


def live(ctx: Context, now_ms: int) -> bool:
    return ctx.vitals is not None and ctx.vitals.fresh(now_ms)
