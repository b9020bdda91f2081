""""How am I doing this week?": the week against the plan, what is left and when it fits, and the streak when
it matters. Pure."""

from __future__ import annotations

from skill.engine.coach import Coach
from skill.engine.commands import Outcome
from skill.engine.context import Context
from skill.engine.replies import keep
from skill.engine.script import P, say
from skill.engine.state import WorkoutState
from skill.engine.weeks import roll, this_week


def week(coach: Coach, state: WorkoutState | None, ctx: Context, now_ms: int) -> Outcome:
    target = coach.content.default_workout.days_per_week
    now = this_week(ctx.history, target, now_ms, ctx.zone)
    streak = roll(ctx.coaching, ctx.history, target, now_ms, ctx.zone).streak
    speech = say(P.WEEK, done=now.done, target=target, left=now.left, days=list(now.suggested),
                 possible=now.left <= len(now.days_left), streak=streak)
    return keep(coach, state, "week", [speech], back=True)
