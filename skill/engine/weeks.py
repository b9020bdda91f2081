"""The week against the plan: workouts done this week (Monday to Sunday on the person's calendar, in their
time zone), what is left and on which days it fits, and the streak of whole weeks met, counted once per week
as weeks end. Pure."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from skill.engine.calendar import DAY_NAMES, WEEK, local_date, monday
from skill.engine.coaching import Coaching
from skill.engine.record import FINISHED, HistoryEntry

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


def finished_in(history: tuple[HistoryEntry, ...], week: date, zone: str) -> list[HistoryEntry]:
    """The workouts finished in the week starting on Monday `week`, each on the day it ended where the person is."""
    end = week + WEEK
    return [h for h in history if h.status == FINISHED and week <= local_date(h.finished_at_ms, zone) < end]


def this_week(history: tuple[HistoryEntry, ...], target: int, now_ms: int, zone: str) -> Week:
    today = local_date(now_ms, zone)
    done = finished_in(history, monday(today), zone)
    done_today = any(local_date(h.finished_at_ms, zone) == today for h in done)
    first = today.weekday() + (1 if done_today else 0)
    return Week(len(done), target, DAY_NAMES[first:], done_today)


def roll(coaching: Coaching, history: tuple[HistoryEntry, ...], target: int, now_ms: int,
         zone: str) -> Coaching:
    """The coaching with every whole week since the last one counted added to the streak (a week that met the
    plan adds one; one that fell short ends it and is remembered, to be mentioned once). A person's first week
    on record never counts as missed: they may have started midweek."""
    last_whole = monday(local_date(now_ms, zone)) - WEEK
    finished = [h for h in history if h.status == FINISHED]
    if coaching.counted_week:
        week = date.fromisoformat(coaching.counted_week) + WEEK
    elif finished:
        week = monday(min(local_date(h.finished_at_ms, zone) for h in finished))
    else:
        return replace(coaching, counted_week=last_whole.isoformat())
    first_week = monday(min((local_date(h.finished_at_ms, zone) for h in finished), default=week))
    if (last_whole - week).days // 7 > MAX_WEEKS_COUNTED:
        return replace(coaching, streak=0, counted_week=last_whole.isoformat(), missed_week=last_whole.isoformat())
    streak, missed = coaching.streak, coaching.missed_week
    while week <= last_whole:
        if len(finished_in(history, week, zone)) >= target:
            streak += 1
        elif week > first_week:
            streak, missed = 0, week.isoformat()
        week += WEEK
    return replace(coaching, streak=streak, counted_week=last_whole.isoformat(), missed_week=missed)


def last_week_monday(now_ms: int, zone: str) -> str:
    return (monday(local_date(now_ms, zone)) - WEEK).isoformat()
