"""Counting in time with the move, and rests that count down: the beats of a set or a rest, from which both the
SSML and the moment each rep is counted are made (one source for the voice and for any screen that counts).

A rep is said through its phases the first two times ("pull… hold… back… one"), then by its number at the end
of each rep, at the person's tempo. Longer sets get one cue halfway and "last three" near the end.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from skill.speech.language import Prompts
from skill.speech.timing import Timing, silence, timing

PHASED_REPS = 2  # reps said through their phases before the count is numbers only
CUE_FROM_REPS = 8  # sets this long get a cue halfway
LAST_THREE_FROM_REPS = 6


@dataclass(frozen=True)
class Beat:
    """Something said (escaped SSML text, may be empty) and the silence after it; `number`: the number the text
    says aloud (a rep counted, seconds of rest left, 0 for the end of a rest), None when it says none."""

    text: str = ""
    pause: float = 0.0
    number: int | None = None


def clock(p: Prompts) -> Timing:
    """The language's own speech rate: how long its words take."""
    return timing(p.WORDS_PER_MINUTE)


def count_beats(p: Prompts, phases: tuple[tuple[str, float], ...], reps_min: int, reps_max: int, tempo: int = 100,
                cue: str = "", more_cues: tuple[str, ...] = ()) -> list[Beat]:
    """`cue`: said halfway through a long set (early in a short one); `more_cues`: the rest of a first lesson,
    said while the reps move, one every other rep from the third."""
    estimate_seconds, seconds_per_word = clock(p).estimate_seconds, clock(p).seconds_per_word
    scale = tempo / 100
    rep_seconds = sum(seconds for _, seconds in phases) * scale
    beats = [Beat(p.COUNT_START)]
    cue_at = reps_max // 2 + 1 if reps_max >= CUE_FROM_REPS else PHASED_REPS + 1
    for n in range(1, reps_max + 1):
        # Words said while the rep moves (a cue, "last three"): inside the rep's time, so the count keeps pace.
        during = []
        if n == reps_min + 1:
            during.append(p.COUNT_MORE)
        if reps_min == reps_max >= LAST_THREE_FROM_REPS and n == reps_max - 2:
            during.append(p.LAST_THREE)
        if cue and n == cue_at:
            during.append(cue)
        lesson = (n - PHASED_REPS - 1) // 2
        if more_cues and n > PHASED_REPS and (n - PHASED_REPS - 1) % 2 == 0 and lesson < len(more_cues):
            during.append(more_cues[lesson])
        said = p.number_words(n)
        said_seconds = estimate_seconds(said)
        if n <= PHASED_REPS:
            for k, (word, seconds) in enumerate(phases):
                gap = seconds * scale - seconds_per_word - (said_seconds if k == len(phases) - 1 else 0)
                beats.append(Beat(word, max(0.1, gap)))
            beats.append(Beat(said, number=n))
        else:
            words = " ".join(during)
            beats.append(Beat(words, max(0.1, rep_seconds - said_seconds - estimate_seconds(words))))
            beats.append(Beat(said, number=n))
    return beats


def rest_beats(p: Prompts, seconds: int, opening: str, ends: bool) -> list[Beat]:
    """A rest of `seconds` after `opening` (what to do now, what comes next): time called every ten seconds; it
    ends with a count-in and "go" when the workout goes straight on, or with "time's up" when the response ends
    there (the person says next; never "go" and then "say next")."""
    estimate_seconds, seconds_per_word = clock(p).estimate_seconds, clock(p).seconds_per_word
    beats = [Beat(opening)]
    elapsed = estimate_seconds(opening)
    marks = [m for m in range(10 * ((int(seconds) - 1) // 10), 0, -10) if seconds - m >= 5]
    countdown = [] if ends or seconds < 5 else [3, 2, 1]
    for mark in marks:
        said = p.REST_MARK.format(seconds=p.number_words(mark))
        beats[-1] = replace(beats[-1], pause=beats[-1].pause + max(0.0, seconds - mark - elapsed))
        beats.append(Beat(said, number=mark))
        elapsed = max(elapsed, seconds - mark) + estimate_seconds(said)
    for n in countdown:
        beats[-1] = replace(beats[-1], pause=beats[-1].pause + max(0.0, seconds - n - elapsed))
        beats.append(Beat(p.number_words(n), number=n))
        elapsed = max(elapsed, seconds - n) + seconds_per_word
    beats[-1] = replace(beats[-1], pause=beats[-1].pause + max(0.0, seconds - elapsed))
    beats.append(Beat(p.REST_OVER if ends else p.REST_END, number=0))
    return beats


def ssml(beats: list[Beat]) -> str:
    return " ".join(filter(None, (b.text + silence(b.pause) for b in beats)))


def numbers(beats: list[Beat], speed: Timing) -> list[tuple[int, float, float]]:
    """(number, start, end) in seconds from the start of the beats for every number said aloud, by the estimate
    every duration uses: a screen that counts places its numbers at the times the voice says them."""
    out, at = [], 0.0
    for beat in beats:
        said = speed.estimate_seconds(beat.text)
        if beat.number is not None:
            out.append((beat.number, at, at + said))
        at += said + beat.pause
    return out


def rep_times(beats: list[Beat], speed: Timing) -> list[tuple[int, float]]:
    """(rep, seconds from the start) at which each rep's number begins to be said."""
    return [(n, start) for n, start, _ in numbers(beats, speed)]
