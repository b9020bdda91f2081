"""Renderers of the coaching over weeks (issue 17): the week, progressions, reminders, profiles, the card."""

from __future__ import annotations

from typing import Any

from skill.engine.script import P
from skill.speech.base import Render, Speaking
from skill.speech.words import capital
from skill.speech.words import t as _t


def renderers(speech: Speaking) -> dict[P, Render]:
    p = speech.prompts
    number_words, join = p.number_words, p.join
    content = speech.content
    steps = content.guide.progressions()

    def ex(exercise: str) -> str:
        return content.exercises[exercise].name if exercise in content.exercises else exercise

    def step_name(step: str) -> str:
        return steps[step].name if step in steps else step

    def words(n: int) -> str:
        return number_words(n)

    time = p.clock_time

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
            return _t(p.MISSED_LAST_WEEK, count=capital(words(a["count"])) if a["count"] else p.NONE_DONE,
                      target=words(a["target"]))
        return _t(p.MISSED_A_WHILE)

    def step_back(a: dict[str, Any]) -> str:
        if not a["step"]:
            return _t(p.STEP_BACK_TAUGHT, exercise=ex(a["exercise"]))
        return _t(p.STEP_BACK, exercise=ex(a["exercise"]), step=step_name(a["step"]))

    def adopted(a: dict[str, Any]) -> str:
        if not a["count"]:
            return _t(p.ADOPTED_NONE)
        return _t(p.ADOPTED, count=capital(words(a["count"])),
                  workouts=speech.count_of(a["count"], p.WORKOUTS, p.WORKOUTS_MANY))

    def days(a: dict[str, Any]) -> str:
        return p.REMINDER_DAYS.get(a["days"], p.REMINDER_DAYS["weekdays"])

    return {
        P.STEP_CUE: lambda a: _t(steps[a["step"]].cue or steps[a["step"]].description),
        P.PROGRESS_OFFER: progress_offer,
        P.PROGRESS_REPROMPT: lambda a: _t(p.PROGRESS_REPROMPT),
        P.PROGRESS_ACCEPTED: lambda a: _t(p.PROGRESS_ACCEPTED, exercise=ex(a["exercise"]), step=step_name(a["step"])),
        P.PROGRESS_DECLINED: lambda a: _t(p.PROGRESS_DECLINED),
        P.EASY_NOTED: lambda a: _t(p.EASY_NOTED, exercise=ex(a["exercise"])),
        P.EASY_TOP: lambda a: _t(p.EASY_TOP, exercise=ex(a["exercise"])),
        P.EASIER_AS_TAUGHT: lambda a: _t(p.EASIER_AS_TAUGHT),
        P.STEP_BACK: step_back,
        P.MISSED_WEEK: missed,
        P.WEEK_MET: week_met,
        P.WEEK: week,
        P.CARD_WORKOUT: lambda a: _t(p.CARD_WORKOUT, workout=a["workout"], sets=a["sets"], minutes=a["minutes"]),
        P.CARD_HEART: lambda a: _t(p.CARD_HEART, bpm=a["bpm"]),
        P.CARD_WEEK: lambda a: _t(p.CARD_WEEK, count=a["count"], target=a["target"]),
        P.ADOPT_OFFER: lambda a: _t(p.ADOPT_OFFER),
        P.ADOPT_REPROMPT: lambda a: _t(p.ADOPT_REPROMPT),
        P.ADOPTED: adopted,
        P.FRESH_START: lambda a: _t(p.FRESH_START),
        P.REMINDER_OFFER: lambda a: _t(p.REMINDER_OFFER, days=days(a), time=time(a["minute"])),
        P.REMINDERS_SET: lambda a: _t(p.REMINDERS_SET, days=days(a), time=time(a["minute"])),
        P.REMINDER_DECLINED: lambda a: _t(p.REMINDER_DECLINED),
        P.NO_REMINDERS: lambda a: _t(p.NO_REMINDERS),
        P.REMINDERS_CANCELLED: lambda a: _t(p.REMINDERS_CANCELLED),
        P.REMINDERS_PERMISSION: lambda a: _t(p.REMINDERS_PERMISSION if a["full"] else p.REMINDERS_PERMISSION_AGAIN),
        P.REMINDERS_FAILED: lambda a: _t(p.REMINDERS_FAILED[a["why"]]),
        P.REMINDERS_ALLOWED: lambda a: _t(p.REMINDERS_ALLOWED),
        P.REMINDERS_NOT_ALLOWED: lambda a: _t(p.REMINDERS_NOT_ALLOWED),
    }
