""""How am I doing this week?": the week against the plan, what is left and when it fits, and the streak when
it matters. Pure."""

from __future__ import annotations

from typing import TYPE_CHECKING

from skill.engine.answers import keep
from skill.engine.commands import Command, Outcome
from skill.engine.script import say
from skill.engine.state import WorkoutState
from skill.engine.weeks import roll, this_week

if TYPE_CHECKING:
    from skill.engine.coach import Coach


def week(coach: Coach, state: WorkoutState | None, command: Command, now_ms: int) -> Outcome:
    target = coach.content.default_workout.days_per_week
    now = this_week(command.history, target, now_ms, command.zone)
    streak = roll(command.coaching, command.history, target, now_ms, command.zone).streak
    speech = say("week", done=now.done, target=target, left=now.left, days=list(now.suggested),
                 possible=now.left <= len(now.days_left), streak=streak)
    return keep(coach, state, "week", [speech], back=True)
