"""The workout's own commands: start, next, back, repeat, skip, pause, resume, stop."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from skill.engine.answers import keep
from skill.engine.commands import Cmd, Command, Outcome
from skill.engine.effects import Effect, WorkoutAbandoned, WorkoutFinished
from skill.engine.pacing import live, play, upload_offer
from skill.engine.plan import MOVE, REST, Plan, build_plan
from skill.engine.rest import decide_rest
from skill.engine.script import Prompt, say
from skill.engine.state import DOING, FINISHED, OFFERED, PAUSED, READY, Done, WorkoutState
from skill.engine.steps import move_names, tail
from skill.engine.views import where

if TYPE_CHECKING:
    from skill.engine.coach import Coach

State = WorkoutState | None


def start(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    workout_id = chosen_workout(coach, command)
    equipment = chosen_equipment(coach, command, workout_id)
    plan = build_plan(coach.content, workout_id, equipment)
    if not plan.steps:
        return keep(coach, state, "no_exercises", [say("no_exercises", equipment=list(equipment))])
    fresh = WorkoutState(workout=workout_id, position=plan.steps[0].id, equipment=equipment, started_at_ms=now_ms)
    w = plan.workout
    brief = all(exercise in command.taught for exercise in plan.exercises)  # they know every move of it
    intro = [say("intro", workout=w.name, moves=move_names(plan), rounds=w.rounds, minutes=w.minutes,
                 round_rest=w.rest_between_rounds_seconds, set_rest=w.rest_between_sets_seconds, brief=brief)]
    if command.first_ever:
        intro.append(say("safety"))  # the very first workout: one line on stopping if something hurts
    outcome = play(coach, plan, fresh, 0, now_ms, intro, "started", command=command)
    return replace(outcome, effects=abandoned(coach, state) + outcome.effects)


def offer_to_resume_in_progress(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    """"Start my workout" with the same workout under way: ask rather than throw the place away."""
    assert state is not None
    plan, index = coach.placed(state)
    return keep(coach, state, "offer_resume", [say("in_progress", at=where(plan, index))])


def abandoned(coach: Coach, state: State) -> tuple[Effect, ...]:
    """A workout under way that a new one replaces: logged as abandoned, unless it already counted as done."""
    if state is None or state.phase == FINISHED or state.finished_at_ms or coach.plan(state) is None:
        return ()
    return (WorkoutAbandoned(state),)


def chosen_workout(coach: Coach, command: Command) -> str:
    return command.workout if command.workout in coach.content.workouts else coach.content.default_workout.id


def chosen_equipment(coach: Coach, command: Command, workout_id: str) -> tuple[str, ...]:
    """A workout built from what the person has: what they named now, or what they told the coach before."""
    if not coach.content.workouts[workout_id].from_exercises:
        return ()
    return command.equipment or command.known_equipment


def start_over(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    """The same workout (and equipment) from the top; the old one is logged as abandoned."""
    if state is not None:
        command = replace(command, workout=state.workout, equipment=state.equipment)
    return start(coach, state, replace(command, name=Cmd.START), now_ms)


def next_step(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    assert state is not None
    plan, index = coach.placed(state)
    target = index if state.phase == READY else index + 1
    if state.phase == DOING and state.step_started_ms:  # cut short, but done
        length = max(0, now_ms - state.step_started_ms)
        state = replace(state, done=(*state.done, Done(plan.steps[index].id, state.step_started_ms, length)))
    if target >= len(plan.steps):
        return finish(coach, plan, state, now_ms, command=command)
    previous = plan.steps[target - 1] if target > 0 else None
    if live(command, now_ms) and state.phase == READY and previous is not None and previous.kind == REST:
        assert command.vitals is not None
        decision = decide_rest(command.vitals, now_ms, previous.rest_seconds)
        if decision is not None and decision.extra_seconds:
            preamble = [say("heart_rate_high", bpm=decision.bpm, trend=decision.trend,
                            seconds=decision.extra_seconds),
                        say("rest", seconds=decision.extra_seconds, next=None, announce=False)]
            state = lengthen_rest(state, previous.id, decision.extra_seconds)
            return play(coach, plan, state, target, now_ms, preamble, "rest_extended", command=command)
        if decision is not None:
            preamble = [say("heart_rate_recovered", bpm=decision.bpm)]
            return play(coach, plan, state, target, now_ms, preamble, "recovered", command=command)
    return play(coach, plan, state, target, now_ms, [], "next", command=command)


def lengthen_rest(state: WorkoutState, rest_step: str, seconds: int) -> WorkoutState:
    """The logged rest includes the extension the heart asked for."""
    done = list(state.done)
    for i in range(len(done) - 1, -1, -1):
        if done[i].step == rest_step:
            done[i] = replace(done[i], duration_ms=done[i].duration_ms + seconds * 1000)
            break
    return replace(state, done=tuple(done))


def resume(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    assert state is not None
    plan, index = coach.placed(state)
    teach = state.phase == PAUSED or command.new_session
    return play(coach, plan, state, index, now_ms, [say("resuming")], "resumed", teach=teach, command=command)


def welcome_back(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    """Opening the skill with a recent workout under way: picked up at once."""
    assert state is not None
    plan, index = coach.placed(state)
    welcome = say("welcome_back_resume", at=where(plan, index))
    return play(coach, plan, state, index, now_ms, [welcome], "resumed", teach=True, command=command)


def offer_resume(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    """A workout under way but old: "resume or start over"."""
    assert state is not None
    plan, index = coach.placed(state)
    return keep(coach, state, "offer_resume", [say("welcome_back", at=where(plan, index))])


def repeat(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    assert state is not None
    plan, index = coach.placed(state)
    target = current_move(plan, state, index)
    return play(coach, plan, state, target, now_ms, [say("again")], "repeated", teach=True, command=command)


def previous(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    assert state is not None
    plan, index = coach.placed(state)
    current = current_move(plan, state, index)
    earlier = [j for j in range(current - 1, -1, -1) if plan.steps[j].kind == MOVE]
    if not earlier:
        return play(coach, plan, state, current, now_ms, [say("at_start")], "at_start", teach=True, command=command)
    return play(coach, plan, state, earlier[0], now_ms, [say("going_back")], "previous", teach=True,
                command=command)


def skip(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    assert state is not None
    plan, index = coach.placed(state)
    step = plan.steps[index]
    if step.kind == REST:
        return next_step(coach, state, command, now_ms)
    same = (step.round, step.exercise)
    later = [j for j in range(index + 1, len(plan.steps))
             if plan.steps[j].kind == MOVE and (plan.steps[j].round, plan.steps[j].exercise) != same]
    skipped = say("skipping", name=step.display_name)
    if not later:
        return finish(coach, plan, state, now_ms, [skipped], command=command)
    return play(coach, plan, state, later[0], now_ms, [skipped], "skipped", command=command)


def finish(
    coach: Coach, plan: Plan, state: WorkoutState, now_ms: int, before: list[Prompt] | None = None,
    command: Command | None = None,
) -> Outcome:
    offer_to = upload_offer(state, command)
    done = replace(state.at(plan.steps[-1].id, FINISHED), updated_at_ms=max(now_ms, state.updated_at_ms),
                   upload=OFFERED if offer_to else state.upload, finished_at_ms=state.finished_at_ms or now_ms)
    speech = tuple((before or []) + tail(plan, len(plan.steps), offer_to))
    effects = (WorkoutFinished(done),)
    if offer_to:
        return Outcome("finished", done, speech, reprompt=(say("upload_offer_reprompt", service=offer_to),),
                       effects=effects)
    return Outcome("finished", done, speech, end_session=True, effects=effects)


def pause(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    assert state is not None
    plan, index = coach.placed(state)
    paused = replace(state.at(plan.steps[index].id, PAUSED), updated_at_ms=max(now_ms, state.updated_at_ms))
    return Outcome("paused", paused, (say("paused", at=where(plan, index)),), end_session=True)


def already_paused(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    assert state is not None
    plan, index = coach.placed(state)
    return Outcome("already_paused", state, (say("paused", at=where(plan, index)),), end_session=True)


def stop(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    if state is None or state.phase == FINISHED:
        return Outcome("stopped", state, (say("goodbye"),), end_session=True)
    plan, index = coach.placed(state)
    return Outcome("stopped", state, (say("stopped", at=where(plan, index)),), end_session=True)


def session_end(coach: Coach, state: State, command: Command, now_ms: int) -> Outcome:
    return Outcome("session_ended", state, (), end_session=True)


def current_move(plan: Plan, state: WorkoutState, index: int) -> int:
    """The move the person is doing, or has just done when between moves or resting."""
    if plan.steps[index].kind == MOVE and state.phase in (DOING, PAUSED):
        return index
    for j in range(index - 1, -1, -1):
        if plan.steps[j].kind == MOVE:
            return j
    return next(j for j in range(index, len(plan.steps)) if plan.steps[j].kind == MOVE)
