"""Renderers for the audio mode's clips: a rest's hold, an extra rest, the count-in, a transition. Each clip is
rendered by the same Speech object (and prompts) as the speech mode, so what is said has one source."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from skill.speech import prompts as p
from skill.speech.timing import SECONDS_PER_WORD, estimate_seconds, silence

if TYPE_CHECKING:
    from skill.speech.ssml import Speech


def audio_renderers(speech: Speech) -> dict[str, Callable[[dict[str, Any]], str]]:
    from skill.speech.ssml import _t, number_words

    def rest_hold(a: dict[str, Any]) -> str:
        """The rest up to its count-in: announced, time left called at whole tens, then silence."""
        total, hold = a["total"], a["seconds"]
        out = _t(p.REST_START, seconds=number_words(total))
        if a["next"] is not None:
            out += " " + _t(p.REST_NEXT, label=speech._next_label(a["next"]))
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
            out += f"{number_words(n).capitalize()}." + silence(1.0 - SECONDS_PER_WORD) + " "
            elapsed += 1.0
        said = _t(p.REST_END)
        return out + said + silence(a["seconds"] - elapsed - estimate_seconds(said))

    def transition(a: dict[str, Any]) -> str:
        out = _t(p.TRANSITION, label=speech._next_label(a["at"]))
        return out + silence(a["seconds"] - estimate_seconds(out))

    return {
        "rest_hold": rest_hold,
        "rest_more": rest_more,
        "count_in": count_in,
        "transition": transition,
        "audio_resume": lambda a: _t(p.AUDIO_RESUME, label=speech.label(a["at"])),
        "mode_audio": lambda a: _t(p.MODE_AUDIO),
        "mode_speech": lambda a: _t(p.MODE_SPEECH),
        "no_loop": lambda a: _t(p.NO_LOOP),
    }
