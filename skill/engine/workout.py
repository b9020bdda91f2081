"""The workout's own commands: start, next, back, repeat, skip, pause, resume, stop."""

from __future__ import annotations

from dataclasses import replace

from skill.engine.coach import Coach
from skill.engine.commands import Cmd, Outcome
from skill.engine.context import Context
from skill.engine.pacing import live, play, upload_offer
from skill.engine.plan import MOVE, REST, Plan, build_plan
from skill.engine.replies import abandoned, current_move, keep, workout_finished
from skill.engine.rest import decide_rest
from skill.engine.script import P, Prompt, say
from skill.engine.state import DOING, FINISHED, OFFERED, PAUSED, READY, Done, WorkoutState
from skill.engine.steps import move_names, tail
from skill.engine.views import where

State = WorkoutState | None


def start(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    workout_id = chosen_workout(coach, ctx)
    equipment = chosen_equipment(coach, ctx, workout_id)
    plan = build_plan(coach.content, workout_id, equipment)
    if not plan.steps:
        return keep(coach, state, "no_exercises", [say(P.NO_EXERCISES, equipment=list(equipment))])
    fresh = WorkoutState(workout=workout_id, position=plan.steps[0].id, equipment=equipment, started_at_ms=now_ms)
    w = plan.workout
    brief = all(exercise in ctx.taught for exercise in plan.exercises)  # they know every move of it
    intro = [say(P.INTRO, workout=w.name, moves=move_names(plan), rounds=w.rounds, minutes=w.minutes,
                 round_rest=w.rest_between_rounds_seconds, set_rest=w.rest_between_sets_seconds, brief=brief)]
    if ctx.first_ever:
        intro.append(say(P.SAFETY))  # the very first workout: one line on stopping if something hurts
    outcome = play(coach, plan, fresh, 0, now_ms, intro, "started", ctx=ctx)
    return replace(outcome, effects=abandoned(coach, state, ctx, now_ms) + outcome.effects)


def offer_to_resume_in_progress(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """"Start my workout" with the same workout under way: ask rather than throw the place away."""
    assert state is not None
    plan, index = coach.placed(state)
    return keep(coach, state, "offer_resume", [say(P.IN_PROGRESS, at=where(plan, index))])


def chosen_workout(coach: Coach, ctx: Context) -> str:
    return ctx.command.workout if ctx.command.workout in coach.content.workouts else coach.content.default_workout.id


def chosen_equipment(coach: Coach, ctx: Context, workout_id: str) -> tuple[str, ...]:
    """A workout built from what the person has: what they named now, or what they told the coach before."""
    if not coach.content.workouts[workout_id].from_exercises:
        return ()
    return ctx.command.equipment or ctx.known_equipment


def start_over(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """The same workout (and equipment) from the top; the old one is logged as abandoned."""
    command = ctx.command
    if state is not None:
        command = replace(command, workout=state.workout, equipment=state.equipment)
    return start(coach, state, replace(ctx, command=replace(command, name=Cmd.START)), now_ms)


def next_step(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    assert state is not None
    plan, index = coach.placed(state)
    target = index if state.phase == READY else index + 1
    if state.phase == DOING and state.step_started_ms:  # cut short, but done
        length = max(0, now_ms - state.step_started_ms)
        state = replace(state, done=(*state.done, Done(plan.steps[index].id, state.step_started_ms, length)))
    if target >= len(plan.steps):
        return finish(coach, plan, state, now_ms, ctx=ctx)
    previous = plan.steps[target - 1] if target > 0 else None
    if live(ctx, now_ms) and state.phase == READY and previous is not None and previous.kind == REST:
        assert ctx.vitals is not None
        decision = decide_rest(ctx.vitals, now_ms, previous.rest_seconds)
        if decision is not None and decision.extra_seconds:
            preamble = [say(P.HEART_RATE_HIGH, bpm=decision.bpm, trend=decision.trend,
                            seconds=decision.extra_seconds),
                        say(P.REST, seconds=decision.extra_seconds, next=None, announce=False)]
            state = lengthen_rest(state, previous.id, decision.extra_seconds)
            return play(coach, plan, state, target, now_ms, preamble, "rest_extended", ctx=ctx)
        if decision is not None:
            preamble = [say(P.HEART_RATE_RECOVERED, bpm=decision.bpm)]
            return play(coach, plan, state, target, now_ms, preamble, "recovered", ctx=ctx)
    return play(coach, plan, state, target, now_ms, [], "next", ctx=ctx)


def lengthen_rest(state: WorkoutState, rest_step: str, seconds: int) -> WorkoutState:
    """The logged rest includes the extension the heart asked for."""
    done = list(state.done)
    for i in range(len(done) - 1, -1, -1):
        if done[i].step == rest_step:
            done[i] = replace(done[i], duration_ms=done[i].duration_ms + seconds * 1000)
            break
    return replace(state, done=tuple(done))


def resume(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    assert state is not None
    plan, index = coach.placed(state)
    teach = state.phase == PAUSED or ctx.new_session
    return play(coach, plan, state, index, now_ms, [say(P.RESUMING)], "resumed", teach=teach, ctx=ctx)


def welcome_back(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """Opening the skill with a recent workout under way: picked up at once."""
    assert state is not None
    plan, index = coach.placed(state)
    welcome = say(P.WELCOME_BACK_RESUME, at=where(plan, index))
    return play(coach, plan, state, index, now_ms, [welcome], "resumed", teach=True, ctx=ctx)


def offer_resume(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """A workout under way but old: "resume or start over"."""
    assert state is not None
    plan, index = coach.placed(state)
    return keep(coach, state, "offer_resume", [say(P.WELCOME_BACK, at=where(plan, index))])


def repeat(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    assert state is not None
    plan, index = coach.placed(state)
    target = current_move(plan, state, index)
    return play(coach, plan, state, target, now_ms, [say(P.AGAIN)], "repeated", teach=True, ctx=ctx)


def previous(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    assert state is not None
    plan, index = coach.placed(state)
    current = current_move(plan, state, index)
    earlier = [j for j in range(current - 1, -1, -1) if plan.steps[j].kind == MOVE]
    if not earlier:
        return play(coach, plan, state, current, now_ms, [say(P.AT_START)], "at_start", teach=True, ctx=ctx)
    return play(coach, plan, state, earlier[0], now_ms, [say(P.GOING_BACK)], "previous", teach=True,
                ctx=ctx)


def skip(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    assert state is not None
    plan, index = coach.placed(state)
    step = plan.steps[index]
    if step.kind == REST:
        return next_step(coach, state, ctx, now_ms)
    same = (step.round, step.exercise)
    later = [j for j in range(index + 1, len(plan.steps))
             if plan.steps[j].kind == MOVE and (plan.steps[j].round, plan.steps[j].exercise) != same]
    skipped = say(P.SKIPPING, name=step.display_name)
    if not later:
        return finish(coach, plan, state, now_ms, [skipped], ctx=ctx)
    return play(coach, plan, state, later[0], now_ms, [skipped], "skipped", ctx=ctx)


def finish(
    coach: Coach, plan: Plan, state: WorkoutState, now_ms: int, before: list[Prompt] | None = None, *,
    ctx: Context,
) -> Outcome:
    offer_to = upload_offer(state, ctx)
    done = replace(state.at(plan.steps[-1].id, FINISHED), updated_at_ms=max(now_ms, state.updated_at_ms),
                   upload=OFFERED if offer_to else state.upload, finished_at_ms=state.finished_at_ms or now_ms)
    speech = tuple((before or []) + tail(plan, len(plan.steps), offer_to))
    effects = (workout_finished(plan, done, ctx, now_ms),)
    if offer_to:
        return Outcome("finished", done, speech, reprompt=(say(P.UPLOAD_OFFER_REPROMPT, service=offer_to),),
                       effects=effects)
    return Outcome("finished", done, speech, end_session=True, effects=effects)


def pause(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    assert state is not None
    plan, index = coach.placed(state)
    paused = replace(state.at(plan.steps[index].id, PAUSED), updated_at_ms=max(now_ms, state.updated_at_ms))
    return Outcome("paused", paused, (say(P.PAUSED, at=where(plan, index)),), end_session=True)


def already_paused(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    assert state is not None
    plan, index = coach.placed(state)
    return Outcome("already_paused", state, (say(P.PAUSED, at=where(plan, index)),), end_session=True)


def stop(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    if state is None or state.phase == FINISHED:
        return Outcome("stopped", state, (say(P.GOODBYE),), end_session=True)
    plan, index = coach.placed(state)
    return Outcome("stopped", state, (say(P.STOPPED, at=where(plan, index)),), end_session=True)


def session_end(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    return Outcome("session_ended", state, (), end_session=True)
