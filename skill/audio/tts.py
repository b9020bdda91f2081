"""One text-to-speech interface with two engines: espeak-ng (local, tests) and Amazon Polly (production).

Every engine turns the project's SSML into MP3 that Alexa's AudioPlayer plays: MPEG layer III, 48 kbps,
24 kHz, mono. A clip is named by a hash of what decides its sound (SSML, engine, voice), so it is rendered once.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Protocol

BITRATE_KBPS = 48
SAMPLE_RATE = 24000
# espeak-ng speaks at this rate; skill.speech.timing estimates durations at 150 words a minute, so the clips
# last about what the speech mode's timeline says.
ESPEAK_WORDS_PER_MINUTE = 150


class TtsEngine(Protocol):
    name: str  # "espeak-ng" or "polly-neural"
    voice: str

    def render(self, ssml: str) -> bytes:
        """The MP3 of `ssml` (a whole <speak> document)."""
        ...


class TtsError(RuntimeError):
    """An engine could not render a clip."""


def clip_id(ssml: str, engine: str, voice: str) -> str:
    """The content address of a clip: the same words, engine and voice always give the same id."""
    digest = hashlib.sha256("\x1f".join((engine, voice, ssml)).encode("utf-8")).hexdigest()
    return digest[:40]


class EspeakEngine:
    """espeak-ng reads Alexa-style SSML with -m and honours <break> exactly; lame encodes the WAV."""

    name = "espeak-ng"

    def __init__(self, voice: str = "en-us", words_per_minute: int = ESPEAK_WORDS_PER_MINUTE) -> None:
        self.voice = voice
        self.words_per_minute = words_per_minute

    @staticmethod
    def available() -> bool:
        return shutil.which("espeak-ng") is not None and shutil.which("lame") is not None

    def render(self, ssml: str) -> bytes:
        if not self.available():
            raise TtsError("espeak-ng and lame are needed (Debian: apt-get install espeak-ng lame)")
        with tempfile.TemporaryDirectory(prefix="backcoach-tts-") as scratch:
            wav, mp3 = Path(scratch) / "clip.wav", Path(scratch) / "clip.mp3"
            try:
                subprocess.run(["espeak-ng", "-m", "-v", self.voice, "-s", str(self.words_per_minute),
                                "-w", str(wav), ssml], check=True, capture_output=True, timeout=60)
                subprocess.run(["lame", "--quiet", "-m", "m", "-b", str(BITRATE_KBPS), "--cbr",
                                "--resample", str(SAMPLE_RATE // 1000), str(wav), str(mp3)],
                               check=True, capture_output=True, timeout=60)
            except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as e:
                raise TtsError(f"rendering failed: {e}") from e
            return mp3.read_bytes()
