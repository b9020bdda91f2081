"""Resolves typed words to an intent and slots the way Alexa would, from the skill's own interaction model.

Custom intents match the model's sample utterances; Alexa's built-in intents need no samples in a model, so
the phrases Amazon lists for them ("Standard Built-in Intents") are added here. Slot values are resolved
against the model's slot types, giving ER_SUCCESS_MATCH or ER_SUCCESS_NO_MATCH like Alexa's entity resolution.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from skill.content.lookup import normalize

BUILT_IN_PHRASES: dict[str, tuple[str, ...]] = {
    "AMAZON.NextIntent": ("next", "skip", "skip it", "skip forward", "next one", "go forward", "move on"),
    "AMAZON.PreviousIntent": ("previous", "go back", "back", "skip back", "back up", "previous one"),
    "AMAZON.RepeatIntent": ("repeat", "say that again", "repeat that", "again", "come again", "say it again",
                            "one more time", "what was that"),
    "AMAZON.PauseIntent": ("pause", "pause that", "pause it", "hold on", "wait"),
    "AMAZON.ResumeIntent": ("resume", "continue", "keep going", "go on", "carry on", "unpause"),
    "AMAZON.StartOverIntent": ("start over", "restart", "start again", "begin again", "from the beginning",
                               "start from the beginning"),
    "AMAZON.HelpIntent": ("help", "help me", "what can i say", "what can i do", "what can you do"),
    "AMAZON.StopIntent": ("stop", "off", "shut up", "quit", "exit", "end", "be quiet"),
    "AMAZON.CancelIntent": ("cancel", "never mind", "nevermind", "forget it"),
    "AMAZON.NavigateHomeIntent": ("go home", "home"),
    "AMAZON.YesIntent": ("yes", "yeah", "yep", "sure", "yes please", "ok", "okay", "please do"),
    "AMAZON.NoIntent": ("no", "nope", "no thanks", "no thank you", "don't"),
}
FALLBACK = "AMAZON.FallbackIntent"
_SLOT = re.compile(r"\{(\w+)\}")
_ARTICLES = ("a ", "an ", "the ", "my ", "some ")


@dataclass(frozen=True)
class SlotMatch:
    value: str  # as heard
    type: str
    match: tuple[str, str] | None  # (id, canonical value) when the value is one of the type's values


@dataclass(frozen=True)
class Resolution:
    intent: str
    slots: dict[str, SlotMatch] = field(default_factory=dict)
    slot_names: tuple[str, ...] = ()  # every slot the intent declares (unfilled ones are sent empty)


def words(text: str) -> str:
    """What the speech recogniser would hand over: lower case words, apostrophes kept."""
    text = text.casefold().replace("’", "'").replace("&", " and ")
    return " ".join(re.sub(r"[^a-z0-9' ]+", " ", text).split())


class Nlu:
    def __init__(self, model: dict[str, Any]) -> None:
        language = model["interactionModel"]["languageModel"]
        self.invocation_name: str = language["invocationName"]
        self._types: dict[str, dict[str, tuple[str, str]]] = {}
        for slot_type in language.get("types", []):
            index: dict[str, tuple[str, str]] = {}
            for value in slot_type["values"]:
                name = value["name"]["value"]
                for phrase in (name, *value["name"].get("synonyms", [])):
                    index.setdefault(normalize(phrase), (value.get("id") or name, name))
            self._types[slot_type["name"]] = index
        # (intent, pattern, literal characters, slot name -> slot type)
        self._patterns: list[tuple[str, re.Pattern[str], int, dict[str, str]]] = []
        self._declared: dict[str, tuple[str, ...]] = {}
        for intent in language["intents"]:
            slot_types = {s["name"]: s["type"] for s in intent.get("slots", [])}
            self._declared[intent["name"]] = tuple(slot_types)
            samples = list(intent.get("samples", [])) + list(BUILT_IN_PHRASES.get(intent["name"], ()))
            for sample in samples:
                self._patterns.append((intent["name"], *self._compile(sample), slot_types))

    @staticmethod
    def _compile(sample: str) -> tuple[re.Pattern[str], int]:
        parts, literal = [], 0
        for token in sample.split():
            slot = _SLOT.fullmatch(token)
            if slot:
                parts.append(f"(?P<{slot.group(1)}>.+?)")
            elif words(token):
                parts.append(re.escape(words(token)))
                literal += len(words(token))
        return re.compile(" ".join(parts)), literal

    def invocation(self, utterance: str) -> tuple[str, str] | None:
        """("launch", "") for "open back coach", ("one_shot", words) for "ask back coach to <words>",
        None when the utterance does not name the skill."""
        said = words(utterance).removeprefix("alexa ").strip()
        name = re.escape(self.invocation_name)
        if re.fullmatch(rf"(?:open|launch|start|talk to|use|run) {name}", said):
            return "launch", ""
        one_shot = re.fullmatch(rf"(?:ask|tell) {name}(?: (?:to|for|about|if))? (.+)", said)
        return ("one_shot", one_shot.group(1)) if one_shot else None

    def resolve(self, utterance: str) -> Resolution:
        said = words(utterance)
        best: tuple[int, int, str, dict[str, str], dict[str, str]] | None = None
        for intent, pattern, literal, slot_types in self._patterns:
            found = pattern.fullmatch(said)
            if not found:
                continue
            filled = {k: v for k, v in found.groupdict().items() if v}
            score = (literal, -len(filled))
            if best is None or score > (best[0], best[1]):
                best = (literal, -len(filled), intent, filled, slot_types)
        if best is None:
            return Resolution(FALLBACK, {}, self._declared.get(FALLBACK, ()))
        _, _, intent, filled, slot_types = best
        slots = {name: self._slot(value, slot_types[name]) for name, value in filled.items()}
        return Resolution(intent, slots, self._declared.get(intent, ()))

    def _slot(self, value: str, slot_type: str) -> SlotMatch:
        index = self._types.get(slot_type, {})
        key = normalize(value)
        match = index.get(key)
        for article in _ARTICLES:
            if match is None and key.startswith(article):
                match = index.get(key[len(article):])
        return SlotMatch(value=value, type=slot_type, match=match)
