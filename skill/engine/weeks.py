"""The week against the plan: workouts done this week (Monday to Sunday, UTC), what is left and on which days
it fits, and the streak of whole weeks met, counted once per week as weeks end. Pure."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

from skill.engine.coaching import Coaching
from skill.engine.record import FINISHED, HistoryEntry

DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MAX_WEEKS_COUNTED = 60  # beyond this gap the streak is simply over


@dataclass(frozen=True)
class Week:
    done: int  # workouts finished this week
    target: int  # the plan's days a week
    days_left: tuple[str, ...]  # the days still open this week (today, when nothing is done today yet)
    done_today: bool

    @property
    def left(self) -> int:
        return max(0, self.target - self.done)

    @property
    def suggested(self) -> tuple[str, ...]:
        """Days that would meet the plan, when enough are left."""
        return self.days_left[: self.left] if self.left <= len(self.days_left) else ()


def day_of(ms: int) -> date:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).date()


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def finished_in(history: tuple[HistoryEntry, ...], week: date) -> list[HistoryEntry]:
    end = week + timedelta(days=7)
    return [h for h in history if h.status == FINISHED and week <= day_of(h.finished_at_ms) < end]


def this_week(history: tuple[HistoryEntry, ...], target: int, now_ms: int) -> Week:
    today = day_of(now_ms)
    done = finished_in(history, monday(today))
    done_today = any(day_of(h.finished_at_ms) == today for h in done)
    first = today.weekday() + (1 if done_today else 0)
    return Week(len(done), target, DAY_NAMES[first:], done_today)


def roll(coaching: Coaching, history: tuple[HistoryEntry, ...], target: int, now_ms: int) -> Coaching:
    """The coaching with every whole week since the last one counted added to the streak (a week that met the
    plan adds one; one that fell short ends it and is remembered, to be mentioned once). A person's first week
    on record never counts as missed: they may have started midweek."""
    last_whole = monday(day_of(now_ms)) - timedelta(days=7)
    finished = [h for h in history if h.status == FINISHED]
    if coaching.counted_week:
        week = date.fromisoformat(coaching.counted_week) + timedelta(days=7)
    elif finished:
        week = monday(min(day_of(h.finished_at_ms) for h in finished))
    else:
        return replace(coaching, counted_week=last_whole.isoformat())
    first_week = monday(min((day_of(h.finished_at_ms) for h in finished), default=week))
    if (last_whole - week).days // 7 > MAX_WEEKS_COUNTED:
        return replace(coaching, streak=0, counted_week=last_whole.isoformat(), missed_week=last_whole.isoformat())
    streak, missed = coaching.streak, coaching.missed_week
    while week <= last_whole:
        if len(finished_in(history, week)) >= target:
            streak += 1
        elif week > first_week:
            streak, missed = 0, week.isoformat()
        week += timedelta(days=7)
    return replace(coaching, streak=streak, counted_week=last_whole.isoformat(), missed_week=missed)


def last_week_monday(now_ms: int) -> str:
    return (monday(day_of(now_ms)) - timedelta(days=7)).isoformat()
