"""A local Echo with an AudioPlayer for the audio mode's tests: real espeak-ng clips, rendered once per run."""

from __future__ import annotations

from pathlib import Path

from skill.audio.clips import ClipLibrary, LocalClips
from skill.audio.tts import EspeakEngine
from skill.bootstrap import build_app
from skill.cli.audio_device import AudioDevice
from skill.cli.chat import Chat, WearableLink
from skill.content.schema import Content
from skill.storage.stores import Stores
from tests.conftest import START


def library(directory: Path) -> ClipLibrary:
    return ClipLibrary(EspeakEngine(), LocalClips(directory, "https://coach.example.org"))


def echo(content: Content, nlu, store: Stores, clips: ClipLibrary, wearable: bool = False) -> AudioDevice:
    link = None
    if wearable:
        link = WearableLink.in_process(store)
    chat = Chat(build_app(store, content, clips=clips), nlu, content, start_at=START, wearable=link)
    device = AudioDevice(chat, clips.duration_ms)
    if link is not None:
        link.pair(chat)
    return device
