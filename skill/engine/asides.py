"""What people say mid-workout that is not a command to move: slower, faster, easier, harder, "I can't do this
one", what muscles, what's next, how much longer, "this hurts", and the equipment they have."""

from __future__ import annotations

from dataclasses import replace

from skill.engine.coach import Coach
from skill.engine.commands import Outcome
from skill.engine.context import Context
from skill.engine.effects import EquipmentChanged, SettingChanged
from skill.engine.pacing import play
from skill.engine.plan import MOVE, REST
from skill.engine.replies import current_move, keep, place
from skill.engine.script import P, say
from skill.engine.state import PAUSED, WorkoutState
from skill.engine.steps import step_prompts
from skill.engine.views import where
from skill.engine.workout import start

State = WorkoutState | None
TEMPO_RANGE = (70, 150)  # percent of each move's own tempo
TEMPO_STEP = 15


def slower(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    return _tempo(coach, state, ctx, now_ms, +TEMPO_STEP)


def faster(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    return _tempo(coach, state, ctx, now_ms, -TEMPO_STEP)


def _tempo(coach: Coach, state: State, ctx: Context, now_ms: int, change: int) -> Outcome:
    """A slower or faster count, remembered; a set under way starts again at the new pace."""
    low, high = TEMPO_RANGE
    tempo = min(high, max(low, ctx.tempo + change))
    if tempo == ctx.tempo:
        said = say(P.TEMPO_LIMIT, slower=change > 0)
        return keep(coach, state, "tempo_limit", [said], back=True)
    effect = SettingChanged("tempo", tempo)
    said = say(P.TEMPO_SET, slower=change > 0)
    if state is None or place(coach, state) is None:
        return replace(keep(coach, state, "tempo_set", [said]), effects=(effect,))
    plan, index = coach.placed(state)
    target = current_move(plan, state, index) if plan.steps[index].kind == MOVE else index
    outcome = play(coach, plan, state, target, now_ms, [said], "tempo_set", ctx=ctx, tempo=tempo)
    return replace(outcome, effects=(effect, *outcome.effects))


def easier(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    exercise = _exercise(coach, state, ctx)
    return keep(coach, state, "easier", [say(P.EASIER, exercise=exercise)], back=True)


def harder(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    exercise = _exercise(coach, state, ctx)
    return keep(coach, state, "harder", [say(P.HARDER, exercise=exercise)], back=True)


def cant_do(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """"I can't do this one": an easier way in, or skip it; never a lecture."""
    exercise = _exercise(coach, state, ctx)
    swaps = _swaps(coach, exercise)
    return keep(coach, state, "cant_do", [say(P.CANT_DO, exercise=exercise, swaps=swaps)])


def muscles(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    exercise = ctx.command.exercise or _exercise(coach, state, ctx)
    return keep(coach, state, "muscles", [say(P.MUSCLES, exercise=exercise)], back=True)


def whats_next(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    assert state is not None
    plan, index = coach.placed(state)
    upcoming = next((j for j in range(index + 1, len(plan.steps)) if plan.steps[j].kind == MOVE
                     and (plan.steps[j].exercise, plan.steps[j].round) != (plan.steps[index].exercise,
                                                                           plan.steps[index].round)), None)
    if upcoming is None:
        return keep(coach, state, "whats_next", [say(P.LAST_MOVE)], back=True)
    return keep(coach, state, "whats_next", [say(P.WHATS_NEXT, at=where(plan, upcoming))], back=True)


def time_left(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """Minutes left by the same estimate the responses are timed with, and sets left as the person counts them
    (each side, grip or letter a set)."""
    assert state is not None
    plan, index = coach.placed(state)
    seconds = 0.0
    for j in range(index, len(plan.steps)):
        prompts, _ = step_prompts(plan, j, first=False, teach=False, praise=0, tempo=ctx.tempo)
        seconds += coach.measure(prompts).seconds
    sets = sum(1 for s in plan.steps[index:] if s.kind == MOVE)
    return keep(coach, state, "time_left", [say(P.TIME_LEFT, minutes=max(1, round(seconds / 60)), sets=sets)],
                back=True)


def pain(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """Pain stops the set at once, whatever was being said: ease off, an easier way or an end, and a word on
    pain that stays. Noted in the workout's log. Never treated as "next" or "stop"."""
    if state is None or place(coach, state) is None:
        return keep(coach, state, "pain", [say(P.PAIN, exercise="", in_workout=False)])
    plan, index = coach.placed(state)
    step = plan.steps[index]
    paused = replace(state.at(step.id, PAUSED), updated_at_ms=max(now_ms, state.updated_at_ms),
                     pain=(*state.pain, step.id))
    said = say(P.PAIN, exercise=step.exercise_id if step.kind != REST else "", in_workout=True)
    return Outcome("pain", paused, (said,), reprompt=(say(P.PAIN_REPROMPT),))


def equipment(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """"I have dumbbells and a kettlebell": remembered for the full session; a workout under way is not rebuilt
    without asking."""
    effect = EquipmentChanged(ctx.command.equipment)
    if state is not None and place(coach, state) is not None:
        outcome = keep(coach, state, "equipment_kept", [say(P.EQUIPMENT_LATER, equipment=list(ctx.command.equipment))],
                       back=True)
    else:
        outcome = keep(coach, state, "equipment_set", [say(P.EQUIPMENT_SET, equipment=list(ctx.command.equipment))])
    return replace(outcome, effects=(effect,))


def _exercise(coach: Coach, state: State, ctx: Context) -> str:
    """The exercise the person means: the one named, the one under way, or the first of the default workout."""
    if ctx.command.exercise:
        return ctx.command.exercise
    if state is not None and place(coach, state) is not None:
        plan, index = coach.placed(state)
        return plan.steps[current_move(plan, state, index)].exercise_id
    return ""


def _swaps(coach: Coach, exercise: str) -> list[str]:
    """Up to two other exercises for the same equipment, as swaps to try."""
    if exercise not in coach.content.exercises:
        return []
    gear = set(coach.content.exercises[exercise].equipment)
    return [ex.name for ex in coach.content.exercises.values()
            if ex.id != exercise and gear & set(ex.equipment) and ex.prescription is not None][:2]


def ask_equipment(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """Before the first full session: what the person has, asked once (the answer builds the session)."""
    outcome = keep(coach, state, "ask_equipment", [say(P.ASK_EQUIPMENT)])
    return replace(outcome, reprompt=(say(P.ASK_EQUIPMENT_REPROMPT),), effects=(SettingChanged("equipment_asked", 1),))


def equipment_answer(coach: Coach, state: State, ctx: Context, now_ms: int) -> Outcome:
    """The answer to "what equipment do you have?": remembered, and the full session starts with it."""
    # The full session, with what they just said they have (remembered by the effect below).
    session = replace(ctx.command, workout=coach.content.equipment_workout.id)
    outcome = start(coach, state, replace(ctx, command=session), now_ms)
    return replace(outcome, effects=(EquipmentChanged(ctx.command.equipment), *outcome.effects))

