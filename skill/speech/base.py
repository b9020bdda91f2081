"""What every group of renderers reads: the content and the prompts of one language, its speech rate, and how it
names a place in the workout ("band pull apart, underhand grip")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from skill.content.schema import Content, Exercise
from skill.engine.views import Where
from skill.speech.language import Prompts, prompts_for
from skill.speech.timing import Timing, timing
from skill.speech.words import plain, spoken_numbers

Render = Callable[[dict[str, Any]], str]  # a prompt's values -> its SSML fragment


class Speaking:
    def __init__(self, content: Content, language: str = "en") -> None:
        self.content = content
        self.language = language
        self.prompts: Prompts = prompts_for(language)
        self.timing: Timing = timing(self.prompts.WORDS_PER_MINUTE)

    # -- numbers ---------------------------------------------------------------------------------------------

    def words(self, n: int) -> str:
        return self.prompts.number_words(n)

    def numbers(self, values: dict[str, Any]) -> dict[str, Any]:
        return spoken_numbers(self.prompts, values)

    def count_of(self, n: int, one: dict[int, str], many: str) -> str:
        """The word for `n` things ("move" or "moves")."""
        return one.get(n, many)

    # -- names -----------------------------------------------------------------------------------------------

    def exercise_by_name(self, name: str) -> Exercise | None:
        return next((ex for ex in self.content.exercises.values() if ex.name == name), None)

    def name(self, name: str) -> str:
        """The spoken form of a display name ('T R X low row' for 'TRX Low Row')."""
        ex = self.exercise_by_name(name)
        return ex.spoken_name if ex else name.lower()

    def spoken(self, exercise: str) -> str:
        """The spoken name of an exercise by id."""
        ex = self.content.exercises.get(exercise)
        return ex.spoken_name if ex else self.prompts.UNKNOWN_MOVE

    def workout_name(self, name: str) -> str:
        workout = next((w for w in self.content.workouts.values() if w.name == name), None)
        return workout.spoken_name if workout else name

    def label(self, at: Where) -> str:
        """How a position is named in speech, e.g. 'band pull apart, underhand grip'."""
        p = self.prompts
        if at.kind == "rest":
            return plain(p.LABEL_REST, seconds=self.words(at.rest_seconds))
        text = part_label(p, self.name(at.name), at.part_kind, at.part_label)
        if at.sets > 1:
            text += plain(p.LABEL_SET, **self.numbers({"set": at.set, "sets": at.sets}))
        return text

    def next_label(self, at: Where) -> str:
        """A place about to start, with its round when a round starts there."""
        if at.round_start and at.rounds > 1:
            said = plain(self.prompts.ROUND, **self.numbers({"round": at.round, "rounds": at.rounds}))
            return said.rstrip(".").lower() + ", " + self.label(at)
        return self.label(at)

    def service(self, values: dict[str, Any]) -> str:
        """A service's spoken name ('Strava' for 'strava')."""
        return self.prompts.SERVICE_NAMES.get(values["service"], values["service"])

    def equipment(self, equipment: list[str]) -> str:
        names = self.prompts.EQUIPMENT_NAMES
        return self.prompts.join([names.get(e, e) for e in equipment] or [names["none"]])


def part_label(p: Prompts, name: str, part_kind: str, label: str) -> str:
    """A move with its side, grip or letter: 'band pull apart, underhand grip', 'I Y T, Y position'."""
    template = {"side": p.LABEL_SIDE, "grip": p.LABEL_GRIP, "letter": p.LABEL_LETTER}.get(part_kind)
    return plain(template, name=name, label=label) if template else name
