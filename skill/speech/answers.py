"""How the coach answers: where am I, how do I do a move (with today's prescription when it is in the workout),
easier, harder, "I can't", muscles, time left, equipment, the history, and every short answer with no values."""

from __future__ import annotations

from typing import Any

from skill.engine.script import P
from skill.speech.base import Render, Speaking
from skill.speech.words import capital, escape, plain, prescription_words, reps_words, t


def renderers(s: Speaking) -> dict[P, Render]:
    p = s.prompts

    def easier(a: dict[str, Any]) -> str:
        ex = s.content.exercises.get(a["exercise"])
        if ex is not None and ex.prescription is not None and ex.prescription.modifier:
            return escape(ex.prescription.modifier)
        return escape(p.EASIER.format(name=s.spoken(a["exercise"])))

    def harder(a: dict[str, Any]) -> str:
        first, second = (pr.name for pr in s.content.guide.progression[:2])
        return escape(p.HARDER.format(name=s.spoken(a["exercise"]), first=first, second=second))

    def cant_do(a: dict[str, Any]) -> str:
        text = p.CANT_DO
        if a["swaps"]:
            text += " " + p.CANT_DO_SWAP.format(swap=s.name(a["swaps"][0]))
        return escape(text)

    def muscles(a: dict[str, Any]) -> str:
        guide = s.content.guide
        main, minor = p.join(list(guide.muscles[:3])), p.join(list(guide.muscles_minor))
        if a["exercise"] in s.content.exercises:
            return escape(p.MUSCLES.format(name=s.spoken(a["exercise"]), muscles=main, minor=minor))
        return escape(p.MUSCLES_GENERAL.format(muscles=main, minor=minor))

    def time_left(a: dict[str, Any]) -> str:
        minutes = p.MINUTES.get(a["minutes"]) or p.MINUTES_MANY.format(minutes=s.words(a["minutes"]))
        sets = p.SETS_LEFT.get(a["sets"]) or p.SETS_LEFT_MANY.format(sets=s.words(a["sets"]))
        return escape(p.TIME_LEFT.format(minutes=minutes, sets=sets))

    def explain(a: dict[str, Any]) -> str:
        """How to do a move: the whole teaching, then today's reps if it is in the workout under way (not the
        general prescription), or the beginner prescription. "How do I do the Y": that letter's cue too."""
        ex = s.content.exercises[a["exercise"]]
        parts = [capital(ex.spoken_name) + ".", *ex.teaching]
        letter = a.get("letter", "")
        if letter in ex.letters:
            parts.append(p.LETTER_HOW.format(letter=letter, cue=ex.letter_cues[ex.letters.index(letter)]))
        today = a.get("today")
        if today is not None:
            parts.append(p.TODAY.format(reps=reps_words(p, today.reps_min, today.reps_max),
                                        per=p.PER_PART[today.part_kind]))
        elif ex.prescription is not None:
            parts.append(prescription_words(ex, p))
        return escape(" ".join(parts))

    def status(a: dict[str, Any]) -> str:
        at = a["at"]
        doing = p.STATUS_DOING[bool(a["started"])]
        workout = s.workout_name(at.workout)
        moves = s.count_of(at.moves_left, p.MOVES, p.MOVES_MANY)
        if at.rounds > 1:
            head = t(p.STATUS, **s.numbers({"round": at.round, "rounds": at.rounds}), workout=workout, doing=doing,
                     label=s.label(at))
            left = t(p.STATUS_LEFT, moves=moves,
                     **s.numbers({"moves_left": at.moves_left, "moves_left_in_round": at.moves_left_in_round}))
        else:
            head = t(p.STATUS_SINGLE_ROUND, workout=workout, doing=doing, label=s.label(at))
            left = t(p.STATUS_LEFT_SINGLE, moves_left=s.words(at.moves_left), moves=moves)
        return head + " " + capital(left)

    def unknown(a: dict[str, Any]) -> str:
        names = [s.name(n) for n in a["suggestions"]]
        return t(p.UNKNOWN_EXERCISE, heard=a["heard"], suggestions=p.SUGGESTIONS_JOIN.join(names))

    def history(a: dict[str, Any]) -> str:
        days = a["last_days_ago"]
        when = p.WHEN.get(days) or plain(p.WHEN_DAYS, days=s.words(days))
        template = p.HISTORY if a["last_finished"] else p.HISTORY_STOPPED
        return t(template, workouts=s.count_of(a["count"], p.WORKOUTS, p.WORKOUTS_MANY), when=when,
                 last=s.workout_name(a["last_workout"]),
                 **s.numbers({"count": a["count"], "days": a["days"], "sets": a["last_sets"]}))

    def reprompt(a: dict[str, Any]) -> str:
        if a["at"] is None:
            return t(p.REPROMPT_IDLE)
        return t(p.REPROMPT_IN_WORKOUT, label=s.label(a["at"]))

    def fallback(a: dict[str, Any]) -> str:
        said = t(p.NOTHING_TO_ANSWER if a["resolved"] else p.FALLBACK)
        return said + " " + t(p.OPTIONS_IN_WORKOUT if a["in_workout"] else p.OPTIONS_IDLE)

    def pair_code(a: dict[str, Any]) -> str:
        code = f'<say-as interpret-as="digits">{escape(a["code"])}</say-as>'
        return p.PAIR_CODE.format(code=code, minutes=a["minutes"])

    def text(template: str) -> Render:
        return lambda a: t(template)

    def with_service(template: str) -> Render:
        return lambda a: t(template, service=s.service(a))

    return {
        P.EASIER: easier, P.HARDER: harder, P.CANT_DO: cant_do, P.MUSCLES: muscles, P.TIME_LEFT: time_left,
        P.EXPLAIN: explain, P.STATUS: status, P.UNKNOWN_EXERCISE: unknown, P.HISTORY: history, P.REPROMPT: reprompt,
        P.FALLBACK: fallback, P.PAIR_CODE: pair_code,
        P.RESUMING: text(p.RESUMING), P.AGAIN: text(p.AGAIN), P.GOING_BACK: text(p.GOING_BACK),
        P.AT_START: text(p.AT_START), P.WHICH_EXERCISE: text(p.WHICH_EXERCISE), P.WHAT_NOW: text(p.WHAT_NOW),
        P.HELP: text(p.HELP), P.ASK_EQUIPMENT: text(p.ASK_EQUIPMENT),
        P.ASK_EQUIPMENT_REPROMPT: text(p.ASK_EQUIPMENT_REPROMPT), P.LAST_MOVE: text(p.LAST_MOVE),
        P.PAIN_REPROMPT: text(p.PAIN_REPROMPT), P.WELCOME: text(p.WELCOME), P.STORAGE_DOWN: text(p.STORAGE_DOWN),
        P.UNPAIRED: text(p.UNPAIRED), P.WEARABLE_UNAVAILABLE: text(p.WEARABLE_UNAVAILABLE),
        P.SAVE_FAILED: text(p.SAVE_FAILED), P.GOODBYE: text(p.GOODBYE), P.NO_WORKOUT: text(p.NO_WORKOUT),
        P.NO_EXERCISES: text(p.NO_EXERCISES), P.UPLOAD_DECLINED: text(p.UPLOAD_DECLINED),
        P.UPLOADS_UNAVAILABLE: text(p.UPLOADS_UNAVAILABLE),
        P.RELINK: with_service(p.RELINK), P.UPLOAD_OFFER: with_service(p.UPLOAD_OFFER),
        P.UPLOAD_OFFER_REPROMPT: with_service(p.UPLOAD_OFFER_REPROMPT),
        P.UPLOAD_QUEUED: with_service(p.UPLOAD_QUEUED), P.UPLOAD_ALREADY: with_service(p.UPLOAD_ALREADY),
        P.UPLOAD_NOTHING: with_service(p.UPLOAD_NOTHING), P.UPLOAD_NOT_QUEUED: with_service(p.UPLOAD_NOT_QUEUED),
        P.LINK_ACCOUNT: with_service(p.LINK_ACCOUNT),
        P.SKIPPING: lambda a: t(p.SKIPPING, name=s.name(a["name"])),
        P.PAUSED: lambda a: t(p.PAUSED, label=s.label(a["at"])),
        P.WORKOUT_DONE: lambda a: t(p.WORKOUT_DONE, workout=s.workout_name(a["workout"])),
        P.BACK_TO_WORKOUT: lambda a: t(p.BACK_TO_WORKOUT, label=s.label(a["at"])),
        P.TEMPO_SET: lambda a: t(p.TEMPO_SET[a["slower"]]),
        P.TEMPO_LIMIT: lambda a: t(p.TEMPO_LIMIT[a["slower"]]),
        P.WHATS_NEXT: lambda a: t(p.WHATS_NEXT, label=s.next_label(a["at"])),
        P.PAIN: lambda a: t(p.PAIN if a["in_workout"] else p.PAIN_IDLE),
        P.EQUIPMENT_SET: lambda a: t(p.EQUIPMENT_SET, equipment=s.equipment(a["equipment"])),
        P.EQUIPMENT_LATER: lambda a: t(p.EQUIPMENT_LATER, equipment=s.equipment(a["equipment"])),
        P.WELCOME_BACK: lambda a: t(p.WELCOME_BACK, workout=s.workout_name(a["at"].workout), label=s.label(a["at"])),
        P.WELCOME_BACK_RESUME: lambda a: t(p.WELCOME_BACK_RESUME, label=s.label(a["at"])),
        P.HISTORY_NONE: lambda a: t(p.HISTORY_NONE, days=s.words(a["days"])),
        P.RECOVERY_SET: lambda a: t(p.RECOVERY_SET, bpm=a["bpm"]),
        P.RECOVERY_RANGE: lambda a: t(p.RECOVERY_RANGE, low=a["low"], high=a["high"]),
        P.AGE_SET: lambda a: t(p.AGE_SET, max=a["max"], bpm=a["bpm"]),
        P.AGE_RANGE: lambda a: t(p.AGE_RANGE, low=a["low"], high=a["high"]),
        P.IN_PROGRESS: lambda a: t(p.IN_PROGRESS, workout=s.workout_name(a["at"].workout), label=s.label(a["at"])),
        P.STOPPED: lambda a: t(p.STOPPED, label=s.label(a["at"])),
    }
