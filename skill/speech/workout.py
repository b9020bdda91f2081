"""How the workout itself is said: the introduction, each move's name, cue, side or letter and its count in time
with the move, the rests and their countdowns, what comes next, and the end of the workout."""

from __future__ import annotations

from typing import Any

from skill.engine.script import P
from skill.speech import counting
from skill.speech.base import Render, Speaking
from skill.speech.timing import silence
from skill.speech.words import capital, escape, plain, reps_words, t

SWITCH_SECONDS = 1.5  # the beat to change arms or grip
HOLD_SECONDS = 2.0  # a pause rep's hold
LOWER_SECONDS = 3.0  # a slow lowering


def count_beats(s: Speaking, a: dict[str, Any]) -> list[counting.Beat]:
    """The reps in time with the move, at the person's tempo. A step of progression changes the rep: pause reps
    hold at the squeeze, slow lowering counts the way back."""
    p = s.prompts
    ex = s.content.exercises.get(a.get("exercise", ""))
    phases = ex.phases if ex else (("up", 1.0), ("down", 1.0))
    how = s.content.guide.progressions().get(a.get("variant", ""))
    if how is not None and how.count == "hold":
        phases = (phases[0], (p.COUNT_HOLD, HOLD_SECONDS), *(ph for ph in phases[1:] if ph[0] != "hold"))
    elif how is not None and how.count:
        phases = (*phases[:-1], (p.COUNT_LOWER, LOWER_SECONDS))
    lesson: tuple[str, ...] = ()
    if ex is None:
        cue = ""
    elif a.get("learning"):  # the first time: the rest of the lesson while the set moves, then a caution
        lesson = tuple(escape(line) for line in (*ex.cues[1:], *ex.cautions[:1]))
        cue = ""
    else:
        cue = escape(ex.key_cue)
    return counting.count_beats(p, phases, a["reps_min"], a["reps_max"], a.get("tempo", 100), cue, lesson)


def rest_beats(s: Speaking, a: dict[str, Any]) -> list[counting.Beat]:
    """A rest that lasts `seconds` by the same estimate the timeline uses: what comes next and how to set up for
    it, then a count-in; or, when the response ends with the rest, "then say next" and no "go"."""
    p = s.prompts
    seconds, nxt = a["seconds"], a["next"]
    if a.get("ends") and nxt is not None:
        opening = t(p.REST_THEN_NEXT, seconds=s.words(seconds), label=s.next_label(nxt))
    else:
        opening = t(p.REST_START, seconds=s.words(seconds)) if a.get("announce", True) else ""
        if nxt is not None:
            opening += " " + t(p.REST_NEXT, label=s.next_label(nxt))
        if a.get("setup"):
            opening += " " + escape(s.content.exercises[a["setup"]].setup)
    return counting.rest_beats(p, seconds, opening.strip(), ends=bool(a.get("ends")))


def renderers(s: Speaking) -> dict[P, Render]:
    p = s.prompts

    def intro(a: dict[str, Any]) -> str:
        moves = p.join([s.name(m) for m in a["moves"]])
        if a.get("brief"):  # a returning person knows the moves: the workout's name and off we go
            return capital(t(p.INTRO_BRIEF, rounds=s.words(a["rounds"]))) if a["rounds"] > 1 else t(
                p.INTRO_BRIEF_SETS, workout=s.workout_name(a["workout"]))
        template = p.INTRO_ROUNDS if a["rounds"] > 1 else p.INTRO_SETS
        return t(template, workout=s.workout_name(a["workout"]), moves=moves, count=s.words(len(a["moves"])),
                 **s.numbers({"rounds": a["rounds"], "round_rest": a["round_rest"], "set_rest": a["set_rest"]}))

    def exercise(a: dict[str, Any]) -> str:
        at = a["at"]
        parts = [capital(s.name(at.name)) + "."]
        if at.sets > 1:
            parts.append(plain(p.SETS, **s.numbers({"set": at.set, "sets": at.sets})))
        if at.round == 1:  # a later round repeats the same reps: the name is enough
            parts.append(capital(reps_words(p, at.reps_min, at.reps_max) + p.PER_PART[at.part_kind]) + ".")
        return escape(" ".join(parts))

    def cue(a: dict[str, Any]) -> str:
        """The first time ever: where to stand and how to move (the cautions come during the set). After that,
        no words before the set: the key cue is said during the count."""
        ex = s.content.exercises[a["exercise"]]
        return escape(" ".join((ex.setup, *ex.cues[:1]))) if a["full"] else ""

    def letter(a: dict[str, Any]) -> str:
        ex = s.content.exercises[a["exercise"]]
        text = plain(p.LETTER, letter=a["letter"])
        if a["cue"]:
            text += " " + ex.letter_cues[a["index"]]
        return escape(text)

    def part(a: dict[str, Any]) -> str:
        """The side or grip; a switch gets a short beat to change hands or grip before the count."""
        template = (p.PART_SWITCH if a["switch"] else p.PART_FIRST)[a["kind"]]
        said = escape(capital(plain(template, label=a["label"])))
        return said + silence(SWITCH_SECONDS) if a["switch"] else said

    def finished(a: dict[str, Any]) -> str:
        minutes = p.MINUTES.get(a["minutes"]) or p.MINUTES_MANY.format(minutes=s.words(a["minutes"]))
        return t(p.FINISHED, workout=s.workout_name(a["workout"]), sets=s.words(a["sets"]), minutes=minutes,
                 week=s.words(a["week"]), days=s.words(a["days_per_week"]))

    def going_on(a: dict[str, Any]) -> str:
        at = a["at"]
        if at.round_start and at.rounds > 1:
            return t(p.CONTINUE_ROUND, round=s.words(at.round), name=s.name(at.name))
        return t(p.CONTINUE, label=s.label(at))

    return {
        P.INTRO: intro,
        P.ROUND: lambda a: t(p.ROUND, **s.numbers(a)),
        P.EXERCISE: exercise,
        P.CUE: cue,
        P.LETTER: letter,
        P.PART: part,
        P.COUNT: lambda a: counting.ssml(count_beats(s, a)),
        P.PRAISE: lambda a: t(p.ENCOURAGEMENT[a["n"] % len(p.ENCOURAGEMENT)]),
        P.REST: lambda a: counting.ssml(rest_beats(s, a)),
        # The first stretch of a rest the heart rate decides: no count-in, the next request checks the heart.
        P.REST_HEART: lambda a: t(p.REST_HEART, label=s.next_label(a["next"])) + silence(a["seconds"]),
        P.CONTINUE: going_on,
        P.CONTINUE_REPROMPT: lambda a: t(p.CONTINUE_REPROMPT, label=s.label(a["at"])),
        P.FINISHED: finished,
        P.SAFETY: lambda a: t(p.SAFETY),
        P.HEART_CHECK: lambda a: t(p.HEART_CHECK),
        P.HEART_RATE_HIGH: lambda a: t(p.HEART_RATE_HIGH, bpm=a["bpm"], trend=p.TRENDS.get(a["trend"], a["trend"]),
                                       seconds=a["seconds"]),
        P.HEART_RATE_RECOVERED: lambda a: t(p.HEART_RATE_RECOVERED, bpm=a["bpm"]),
    }
