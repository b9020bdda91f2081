"""Renderers for the audio mode's clips: a rest's hold, an extra rest, the count-in, a transition. Each clip is
rendered by the same Speech object (and prompts) as the speech mode, so what is said has one source."""

from __future__ import annotations

from typing import Any

from skill.engine.script import P
from skill.speech.base import Render, Speaking
from skill.speech.timing import silence
from skill.speech.words import t as _t


def audio_renderers(speech: Speaking) -> dict[P, Render]:
    p = speech.prompts
    number_words = p.number_words
    estimate_seconds, seconds_per_word = speech.timing.estimate_seconds, speech.timing.seconds_per_word

    def rest_hold(a: dict[str, Any]) -> str:
        """The rest up to its count-in: announced, time left called at whole tens, then silence."""
        total, hold = a["total"], a["seconds"]
        out = _t(p.REST_START, seconds=number_words(total))
        if a["next"] is not None:
            out += " " + _t(p.REST_NEXT, label=speech.next_label(a["next"]))
        elapsed = estimate_seconds(out)
        for mark in range(10 * ((total - 1) // 10), 0, -10):
            if total - mark >= 5 and total - mark < hold - 1:
                said = _t(p.REST_MARK, seconds=number_words(mark))
                out += silence(total - mark - elapsed) + " " + said
                elapsed = max(elapsed, total - mark) + estimate_seconds(said)
        return out + silence(hold - elapsed)

    def rest_more(a: dict[str, Any]) -> str:
        out = _t(p.REST_MORE, seconds=number_words(a["seconds"]).capitalize())
        return out + silence(a["seconds"] - estimate_seconds(out))

    def count_in(a: dict[str, Any]) -> str:
        """Three, two, one, one a second, then the call to go: `seconds` long by the timing estimate."""
        out, elapsed = "", 0.0
        for n in (3, 2, 1):
            out += f"{number_words(n).capitalize()}." + silence(1.0 - seconds_per_word) + " "
            elapsed += 1.0
        said = _t(p.REST_END)
        return out + said + silence(a["seconds"] - elapsed - estimate_seconds(said))

    def transition(a: dict[str, Any]) -> str:
        out = _t(p.TRANSITION, label=speech.next_label(a["at"]))
        return out + silence(a["seconds"] - estimate_seconds(out))

    return {
        P.REST_HOLD: rest_hold,
        P.REST_MORE: rest_more,
        P.COUNT_IN: count_in,
        P.TRANSITION: transition,
        P.AUDIO_RESUME: lambda a: _t(p.AUDIO_RESUME, label=speech.label(a["at"])),
        P.MODE_AUDIO: lambda a: _t(p.MODE_AUDIO),
        P.MODE_SPEECH: lambda a: _t(p.MODE_SPEECH),
        P.NO_LOOP: lambda a: _t(p.NO_LOOP),
    }
