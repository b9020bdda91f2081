"""How the coach answers what people say mid-workout: easier, harder, "I can't", muscles, time left, equipment,
and how to do a move (with today's prescription when it is in the workout). Mixed into Speech."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from skill.speech import prompts as p
from skill.speech.words import capital, escape, join, number_words, prescription_words, reps_words

if TYPE_CHECKING:
    from skill.content.schema import Content


class AnswerSpeech:
    content: Content

    def _name(self, name: str) -> str:  # supplied by Speech
        raise NotImplementedError

    def _spoken(self, exercise: str) -> str:
        ex = self.content.exercises.get(exercise)
        return ex.spoken_name if ex else "move"

    def _easier(self, a: dict[str, Any]) -> str:
        ex = self.content.exercises.get(a["exercise"])
        if ex is not None and ex.prescription is not None and ex.prescription.modifier:
            return escape(ex.prescription.modifier)
        return escape(p.EASIER.format(name=self._spoken(a["exercise"])))

    def _harder(self, a: dict[str, Any]) -> str:
        first, second = (pr.name for pr in self.content.guide.progression[:2])
        return escape(p.HARDER.format(name=self._spoken(a["exercise"]), first=first, second=second))

    def _cant_do(self, a: dict[str, Any]) -> str:
        text = p.CANT_DO
        if a["swaps"]:
            text += " " + p.CANT_DO_SWAP.format(swap=self._name(a["swaps"][0]))
        return escape(text)

    def _muscles(self, a: dict[str, Any]) -> str:
        guide = self.content.guide
        muscles, minor = join(list(guide.muscles[:3])), join(list(guide.muscles_minor))
        if a["exercise"] in self.content.exercises:
            return escape(p.MUSCLES.format(name=self._spoken(a["exercise"]), muscles=muscles, minor=minor))
        return escape(p.MUSCLES_GENERAL.format(muscles=muscles, minor=minor))

    def _time_left(self, a: dict[str, Any]) -> str:
        minutes = p.MINUTES.get(a["minutes"]) or p.MINUTES_MANY.format(minutes=number_words(a["minutes"]))
        sets = p.SETS_LEFT.get(a["sets"]) or p.SETS_LEFT_MANY.format(sets=number_words(a["sets"]))
        return escape(p.TIME_LEFT.format(minutes=minutes, sets=sets))

    def _equipment(self, equipment: list[str]) -> str:
        return join([p.EQUIPMENT_NAMES.get(e, e) for e in equipment] or [p.EQUIPMENT_NAMES["none"]])

    def _explain(self, a: dict[str, Any]) -> str:
        """How to do a move: the whole teaching, then today's reps if it is in the workout under way (not the
        general prescription), or the beginner prescription. "How do I do the Y": that letter's cue too."""
        ex = self.content.exercises[a["exercise"]]
        parts = [capital(ex.spoken_name) + ".", *ex.teaching]
        letter = a.get("letter", "")
        if letter in ex.letters:
            parts.append(p.LETTER_HOW.format(letter=letter, cue=ex.letter_cues[ex.letters.index(letter)]))
        today = a.get("today")
        if today is not None:
            parts.append(p.TODAY.format(reps=reps_words(today.reps_min, today.reps_max),
                                        per=p.PER_PART[today.part_kind]))
        elif ex.prescription is not None:
            parts.append(prescription_words(ex))
        return escape(" ".join(parts))
