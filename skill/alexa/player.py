"""AudioPlayer directives for the engine's cues: tokens, clip URLs, and what the player screen shows.

A token names the workout (its id and start), the step by its stable id, the track, and the clip:
"bc1~six_minute~1795000000000~r1.band_pull_apart.s1.overhand-grip~main~<clip id>".
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ask_sdk_model.interfaces.audioplayer import (
    AudioItem,
    AudioItemMetadata,
    ClearBehavior,
    ClearQueueDirective,
    PlayBehavior,
    PlayDirective,
    StopDirective,
    Stream,
)
from ask_sdk_model.interfaces.display import Image, ImageInstance

from skill.audio.clips import ClipLibrary
from skill.engine.audio_plan import END, INTRO, Track
from skill.engine.cues import ENQUEUE, PLAY, STOP, Cue
from skill.engine.plan import REST
from skill.engine.state import WorkoutState
from skill.speech.base import part_label
from skill.speech.ssml import Speech

TOKEN_PREFIX = "bc1"
MAX_TOKEN = 1024  # Alexa's limit


@dataclass(frozen=True)
class Token:
    workout: str
    started_at_ms: int
    step: str
    part: str
    clip: str

    def __str__(self) -> str:
        return "~".join((TOKEN_PREFIX, self.workout, str(self.started_at_ms), self.step, self.part, self.clip))

    def belongs_to(self, state: WorkoutState | None) -> bool:
        return state is not None and (state.workout, state.started_at_ms) == (self.workout, self.started_at_ms)


def parse_token(text: str | None) -> Token | None:
    """The token this skill wrote, or None for anything else (another skill's, or malformed)."""
    parts = (text or "").split("~")
    if len(parts) != 6 or parts[0] != TOKEN_PREFIX or not parts[2].isdigit() or len(text or "") > MAX_TOKEN:
        return None
    return Token(parts[1], int(parts[2]), parts[3], parts[4], parts[5])


class Voice:
    """Tracks as playable clips: the speech layer of the request's language writes each track's SSML, the clip
    library renders it once (clips are keyed by what they say, so each language has its own)."""

    def __init__(self, speech_for: Callable[[str], Speech], clips: ClipLibrary, art_url: str = "") -> None:
        self.speech_for = speech_for
        self.clips = clips
        self.art_url = art_url

    def ssml(self, track: Track, language: str = "en") -> str:
        return self.speech_for(language).ssml(track.prompts)

    def clip(self, track: Track, language: str = "en") -> str:
        return self.clips.clip(self.ssml(track, language), language)

    def token(self, state: WorkoutState, track: Track, language: str = "en") -> str:
        token = str(Token(state.workout, state.started_at_ms, track.step, track.part, self.clip(track, language)))
        assert len(token) <= MAX_TOKEN
        return token

    def metadata(self, track: Track, language: str = "en") -> AudioItemMetadata:
        """What the Echo Show's player screen and the Alexa app show: the move (or rest), the round and set."""
        at, p = track.at, self.speech_for(language).prompts
        if track.part == END:
            title = p.DISPLAY_FINISHED
        elif track.part == INTRO:
            title = at.workout
        elif at.kind == REST:
            title = p.DISPLAY_REST
        else:
            title = part_label(p, at.name, at.part_kind, at.part_label)
        bits = [p.DISPLAY_ROUND.format(round=at.round, rounds=at.rounds)] if at.rounds > 1 else []
        if at.sets > 1 and at.kind != REST:
            bits.append(p.DISPLAY_SET.format(set=at.set, sets=at.sets))
        subtitle = " · ".join([at.workout, *bits])
        art = Image(content_description=at.workout, sources=[ImageInstance(url=self.art_url)]) if self.art_url else None
        return AudioItemMetadata(title=title, subtitle=subtitle, art=art, background_image=art)

    def directives(self, state: WorkoutState | None, cue: Cue, language: str = "en") -> list:
        """The directives for `cue` (state: the workout the tracks belong to), in the request's language."""
        if cue.kind == STOP:
            return [StopDirective()]
        if cue.kind not in (PLAY, ENQUEUE) or cue.track is None or state is None:
            return []
        previous = (self.token(state, cue.previous, language) if cue.kind == ENQUEUE and cue.previous is not None
                    else None)
        clip = self.clip(cue.track, language)
        token = str(Token(state.workout, state.started_at_ms, cue.track.step, cue.track.part, clip))
        stream = Stream(token=token, url=self.clips.url(clip),
                        offset_in_milliseconds=cue.offset_ms, expected_previous_token=previous)
        behavior = PlayBehavior.ENQUEUE if cue.kind == ENQUEUE else PlayBehavior.REPLACE_ALL
        return [PlayDirective(play_behavior=behavior, audio_item=AudioItem(stream=stream,
                                                                           metadata=self.metadata(cue.track,
                                                                                                  language)))]


def clear_queue() -> ClearQueueDirective:
    return ClearQueueDirective(clear_behavior=ClearBehavior.CLEAR_ENQUEUED)
