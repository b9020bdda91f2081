"""What the audio mode's player does next: play from a track (replacing the queue), enqueue the track that
follows, stop, or nothing. The Alexa layer turns a cue into AudioPlayer directives; another speaker's adapter
into its own media player's calls."""

from __future__ import annotations

from dataclasses import dataclass

from skill.engine.audio_plan import Track

PLAY, ENQUEUE, STOP, NOTHING = "play", "enqueue", "stop", "nothing"


@dataclass(frozen=True)
class Cue:
    kind: str  # PLAY (replacing everything), ENQUEUE, STOP or NOTHING
    track: Track | None = None
    offset_ms: int = 0
    previous: Track | None = None  # ENQUEUE: the track that must be playing (its token is expectedPreviousToken)


NOTHING_CUE = Cue(NOTHING)
STOP_CUE = Cue(STOP)
