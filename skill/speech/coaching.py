"""Renderers of the coaching over weeks (issue 17): the week, progressions, reminders, profiles, the card."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from skill.speech import prompts as p

if TYPE_CHECKING:
    from skill.speech.ssml import Speech

Render = Callable[[dict[str, Any]], str]


def renderers(speech: Speech) -> dict[str, Render]:
    from skill.speech.ssml import _t
    from skill.speech.words import capital, join, number_words

    content = speech.content
    steps = content.guide.progressions()

    def ex(exercise: str) -> str:
        return content.exercises[exercise].name if exercise in content.exercises else exercise

    def step_name(step: str) -> str:
        return steps[step].name if step in steps else step

    def words(n: int) -> str:
        return number_words(n)

    def time(minute: int) -> str:
        hour, minutes = divmod(minute % (24 * 60), 60)
        twelve = hour % 12 or 12
        part = f" {number_words(minutes)}" if minutes >= 10 else (f" oh {number_words(minutes)}" if minutes else "")
        return f"{number_words(twelve)}{part} {'a.m.' if hour < 12 else 'p.m.'}"

    def progress_offer(a: dict[str, Any]) -> str:
        why = (_t(p.PROGRESS_WHY_EASY, exercise=ex(a["exercise"])) if a["reason"] == "easy"
               else _t(p.PROGRESS_WHY_COMPLETE, exercise=ex(a["exercise"]), sessions=words(a["sessions"])))
        step = steps[a["step"]]
        return why + " " + _t(p.PROGRESS_OFFER, step=step.name, how=step.description)

    def week(a: dict[str, Any]) -> str:
        done, target, left = a["done"], a["target"], a["left"]
        if left == 0:
            out = _t(p.WEEK_DONE, done=capital(words(done)), target=words(target))
            return out + (" " + _t(p.STREAK, weeks=words(a["streak"] + 1)) if a["streak"] else "")
        out = (_t(p.WEEK_NONE, left=words(left)) if done == 0
               else _t(p.WEEK_SOME, done=capital(words(done)), target=words(target), left=words(left)))
        if a["possible"] and a["days"]:
            out += " " + _t(p.WEEK_DAYS, days=join(list(a["days"])))
        elif not a["possible"]:
            out += " " + _t(p.WEEK_SHORT, target=words(target))
        if a["streak"] and a["possible"]:
            out += " " + _t(p.WEEK_STREAK_NEXT, weeks=words(a["streak"] + 1))
        return out

    def week_met(a: dict[str, Any]) -> str:
        out = _t(p.WEEK_MET, target=words(a["target"]))
        return out + (" " + _t(p.STREAK, weeks=words(a["streak"])) if a["streak"] >= 2 else "")

    def missed(a: dict[str, Any]) -> str:
        if a["last"]:
            return _t(p.MISSED_LAST_WEEK, count=capital(words(a["count"])) if a["count"] else "None",
                      target=words(a["target"]))
        return _t(p.MISSED_A_WHILE)

    def step_back(a: dict[str, Any]) -> str:
        if not a["step"]:
            return _t(p.STEP_BACK_TAUGHT, exercise=ex(a["exercise"]))
        return _t(p.STEP_BACK, exercise=ex(a["exercise"]), step=step_name(a["step"]))

    def adopted(a: dict[str, Any]) -> str:
        if not a["count"]:
            return _t(p.ADOPTED_NONE)
        return _t(p.ADOPTED, count=capital(words(a["count"])), workouts="workout" if a["count"] == 1 else "workouts")

    def days(a: dict[str, Any]) -> str:
        return p.REMINDER_DAYS.get(a["days"], p.REMINDER_DAYS["weekdays"])

    return {
        "step_cue": lambda a: _t(steps[a["step"]].cue or steps[a["step"]].description),
        "progress_offer": progress_offer,
        "progress_reprompt": lambda a: _t(p.PROGRESS_REPROMPT),
        "progress_accepted": lambda a: _t(p.PROGRESS_ACCEPTED, exercise=ex(a["exercise"]), step=step_name(a["step"])),
        "progress_declined": lambda a: _t(p.PROGRESS_DECLINED),
        "easy_noted": lambda a: _t(p.EASY_NOTED, exercise=ex(a["exercise"])),
        "easy_top": lambda a: _t(p.EASY_TOP, exercise=ex(a["exercise"])),
        "easier_as_taught": lambda a: _t(p.EASIER_AS_TAUGHT),
        "step_back": step_back,
        "missed_week": missed,
        "week_met": week_met,
        "week": week,
        "card_workout": lambda a: _t(p.CARD_WORKOUT, workout=a["workout"], sets=a["sets"], minutes=a["minutes"]),
        "card_heart": lambda a: _t(p.CARD_HEART, bpm=a["bpm"]),
        "card_week": lambda a: _t(p.CARD_WEEK, count=a["count"], target=a["target"]),
        "adopt_offer": lambda a: _t(p.ADOPT_OFFER),
        "adopt_reprompt": lambda a: _t(p.ADOPT_REPROMPT),
        "adopted": adopted,
        "fresh_start": lambda a: _t(p.FRESH_START),
        "reminder_offer": lambda a: _t(p.REMINDER_OFFER, days=days(a), time=time(a["minute"])),
        "reminders_set": lambda a: _t(p.REMINDERS_SET, days=days(a), time=time(a["minute"])),
        "reminder_declined": lambda a: _t(p.REMINDER_DECLINED),
        "no_reminders": lambda a: _t(p.NO_REMINDERS),
        "reminders_cancelled": lambda a: _t(p.REMINDERS_CANCELLED),
        "reminders_permission": lambda a: _t(p.REMINDERS_PERMISSION if a["full"] else p.REMINDERS_PERMISSION_AGAIN),
        "reminders_failed": lambda a: _t(p.REMINDERS_FAILED[a["why"]]),
    }
