"""`backcoach build --audio` (pre-render every clip the content can produce) and `backcoach chat --audio` (a local
Echo with an AudioPlayer: the whole workout from one utterance, on simulated time)."""

from __future__ import annotations

import re
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass

from skill.audio.clips import ClipLibrary
from skill.audio.mp3 import read_mp3
from skill.cli.audio_device import AudioDevice
from skill.cli.chat import GAP_SECONDS, Chat
from skill.content.schema import Content
from skill.engine.audio_plan import all_tracks
from skill.engine.plan import build_plan
from skill.settings import Settings, audio_problem
from skill.speech.ssml import Speech

_AT = re.compile(r"@(\d+(?:\.\d+)?)\s+(.+)")


@dataclass(frozen=True)
class RenderReport:
    clips: int  # distinct clips the content can produce
    rendered: int  # of them, rendered now (the rest were already there)
    bytes: int
    seconds: float  # their total length
    render_seconds: float  # how long this run took
    characters: int  # text characters sent to text to speech (what Polly bills), for every distinct clip


def workout_plans(content: Content) -> list:
    """Every plan a person can get: each workout, and each equipment choice of those built from equipment."""
    plans = []
    for workout in content.workouts.values():
        choices = [()] + ([(e,) for e in content.guide.equipment] if workout.from_exercises else [])
        plans += [build_plan(content, workout.id, eq) for eq in choices]
    return plans


def prerender(content: Content, clips: ClipLibrary) -> RenderReport:
    speech = Speech(content)
    started = time.perf_counter()
    before = clips.rendered
    seen: dict[str, int] = {}
    characters = 0
    for plan in workout_plans(content):
        for track in all_tracks(plan):
            ssml = speech.ssml(track.prompts)
            clip = clips.clip(ssml)
            if clip not in seen:
                seen[clip] = len(clips.store.get(clip))
                characters += len(re.sub(r"<[^>]+>", "", ssml))
    seconds = sum(read_mp3(clips.store.get(c)).duration_ms for c in seen) / 1000
    return RenderReport(len(seen), clips.rendered - before, sum(seen.values()), seconds,
                        time.perf_counter() - started, characters)


def run_audio_lines(chat: Chat, device: AudioDevice, lines: Iterable[str]) -> None:
    """Each line is said when the stream has played to the end (or `@SECONDS words`: that many seconds after
    the line before it, mid-stream); then the stream plays on to its end."""
    said_at = device.now_ms
    for raw in lines:
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        barge = _AT.fullmatch(line)
        if barge:
            device.play_until(said_at + int(float(barge.group(1)) * 1000))
            text, at = barge.group(2), device.now_ms / 1000
        else:
            device.play_to_end()
            text, at = line, device.now_ms / 1000 + (GAP_SECONDS if chat.history else 0)
        chat.clock, chat.last_start = at, None
        chat.say(text)
        said_at = int(at * 1000)
    device.play_to_end()


def build_audio_command(settings: Settings) -> int:
    """`backcoach build --audio`: every clip, rendered once, and what they come to."""
    from skill.bootstrap import clips_from_settings
    from skill.content import load_content

    if audio_problem(settings):
        print(f"backcoach build: {audio_problem(settings)}.", file=sys.stderr)
        return 2
    clips = clips_from_settings(settings, local=True)
    assert clips is not None
    report = prerender(load_content(), clips)
    where = f"s3://{settings.audio_bucket}/clips/" if settings.audio_bucket else str(settings.clip_dir())
    print(f"audio clips: {report.clips} ({report.rendered} rendered now) in {where}")
    print(f"             {report.bytes / 1e6:.1f} MB, {report.seconds / 60:.1f} minutes of audio, "
          f"{report.characters} characters of text, {report.render_seconds:.1f} s")
    return 0
