"""Renders the engine's prompts as Alexa SSML, in the language of the request: counted reps, arm switches, I-Y-T
letters, rest countdowns, and every answer. Each prompt key has one renderer (skill/speech/workout.py, answers.py,
coaching.py, clips.py), and a prompt is rendered once: what the engine measured is what is sent."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from skill.content.schema import Content
from skill.engine.script import Budget, Cost, P, Prompt
from skill.speech import answers, coaching, counting, workout
from skill.speech.base import Render, Speaking, part_label
from skill.speech.clips import audio_renderers
from skill.speech.timing import MAX_BREAK_SECONDS, break_seconds
from skill.speech.words import escape, number_words

__all__ = ["BUDGET", "Speech", "check", "escape", "number_words", "part_label"]

# Alexa: output speech must stay under 8,000 characters (FACTS.md). The engine packs fragments; the
# <speak> wrapper is added afterwards, so the budget leaves room for it.
MAX_SSML_CHARS = 8000
SPEAK_OPEN, SPEAK_CLOSE = "<speak>", "</speak>"
# The longest a single response may run. Alexa documents 240 s as the cap on <audio> in one response; the
# coach holds all of its speech to the same cap, so no device cuts a response short.
MAX_RESPONSE_SECONDS = 240.0
BUDGET = Budget(max_chars=MAX_SSML_CHARS - 1 - len(SPEAK_OPEN) - len(SPEAK_CLOSE), max_seconds=MAX_RESPONSE_SECONDS)
ALLOWED_TAGS = {"speak", "break", "p", "s", "say-as"}
MEMO_SIZE = 4096  # renderings kept across turns: every step of every workout at a few tempos fits


class Speech(Speaking):
    """Turns prompts into SSML for one content set in one language."""

    def __init__(self, content: Content, language: str = "en") -> None:
        super().__init__(content, language)
        self.renders = 0  # how many prompts were rendered (benchmarks check: once per prompt per turn)
        self._memo: dict[tuple[Any, ...], tuple[str, Cost]] = {}
        self._render: dict[P, Render] = {
            **workout.renderers(self), **answers.renderers(self), **coaching.renderers(self),
            **audio_renderers(self),
        }

    def renders_every(self) -> set[P]:
        """The prompt keys this speech layer can render (a test holds it to every key)."""
        return set(self._render)

    # -- public --------------------------------------------------------------------------------------

    def fragment(self, prompts: Sequence[Prompt]) -> str:
        return " ".join(self.piece(prompt) for prompt in prompts)

    def piece(self, prompt: Prompt) -> str:
        return self._rendered(prompt)[0]

    def _rendered(self, prompt: Prompt) -> tuple[str, Cost]:
        """One prompt's SSML and cost, rendered once: the engine measures a prompt before it is sent, so both are
        kept on the prompt (a value made for this turn), and sending it costs no second rendering. Prompts with
        the same values (the same set of the same move, at the same tempo) share one rendering across turns."""
        if prompt.rendered is None:
            key = _memo_key(prompt)
            done = self._memo.get(key) if key is not None else None
            if done is None:
                text = self._render[prompt.key](prompt.params)
                self.renders += 1
                done = (text, Cost(len(text), self.timing.estimate_seconds(text)))
                if key is not None:
                    if len(self._memo) >= MEMO_SIZE:
                        self._memo.clear()  # a bound, not an eviction policy: the working set is a few hundred
                    self._memo[key] = done
            object.__setattr__(prompt, "rendered", done)
        return prompt.rendered

    def ssml(self, prompts: Sequence[Prompt]) -> str:
        return SPEAK_OPEN + self.fragment(prompts) + SPEAK_CLOSE

    def card_text(self, prompts: Sequence[Prompt]) -> str:
        """Plain text for a card in the Alexa app: one line per prompt."""
        from html import unescape

        return "\n".join(unescape(self.piece(prompt)) for prompt in prompts)

    def measure(self, prompts: Sequence[Prompt]) -> Cost:
        """The cost of `fragment(prompts)` (plus the space before the next), summed from each prompt's own: the
        pieces are joined by spaces, so their words and breaks add up."""
        chars, seconds = len(prompts) - 1 if prompts else 0, 0.0
        for prompt in prompts:
            cost = self._rendered(prompt)[1]
            chars, seconds = chars + cost.chars, seconds + cost.seconds
        return Cost(chars + (1 if chars else 0), seconds)

    def estimate_seconds(self, ssml: str) -> float:
        """How long `ssml` takes to say in this language."""
        return self.timing.estimate_seconds(ssml)

    def count_beats(self, a: dict[str, Any]) -> list[counting.Beat]:
        return workout.count_beats(self, a)

    def rest_beats(self, a: dict[str, Any]) -> list[counting.Beat]:
        return workout.rest_beats(self, a)

    def calls(self, prompt: Prompt) -> list[tuple[int, float, float]]:
        """The numbers a prompt says aloud, each with when it starts and ends (seconds from the prompt's start):
        reps counted, and seconds of rest left. Empty for a prompt that counts nothing."""
        if prompt.key == P.COUNT:
            return counting.numbers(self.count_beats(prompt.params), self.timing)
        if prompt.key == P.REST:
            return counting.numbers(self.rest_beats(prompt.params), self.timing)
        return []


def check(ssml: str) -> list[str]:
    """Problems that would make Alexa reject or mangle `ssml`; empty when it is fine."""
    import xml.etree.ElementTree as ET  # only tests and tools check; keep it off the Lambda's cold path

    problems = []
    if len(ssml) >= MAX_SSML_CHARS:
        problems.append(f"{len(ssml)} characters (limit {MAX_SSML_CHARS})")
    try:
        root = ET.fromstring(ssml)
    except ET.ParseError as e:
        return [*problems, f"not well-formed XML: {e}"]
    if root.tag != "speak":
        problems.append(f"root element is <{root.tag}>, not <speak>")
    for element in root.iter():
        if element.tag not in ALLOWED_TAGS:
            problems.append(f"unsupported tag <{element.tag}>")
        if element.tag == "break":
            seconds = break_seconds(element.get("time", ""))
            if not 0 < seconds <= MAX_BREAK_SECONDS:
                problems.append(f"break of {seconds} s (limit {MAX_BREAK_SECONDS} s)")
    return problems


def _memo_key(prompt: Prompt) -> tuple[Any, ...] | None:
    """What decides a prompt's rendering, as a dictionary key (with each value's type: 1 and True render
    differently); None when a value cannot be a key (a list), and the prompt is rendered on its own."""
    key = (prompt.key, *sorted((name, type(value), value) for name, value in prompt.params.items()))
    try:
        hash(key)
    except TypeError:
        return None
    return key
