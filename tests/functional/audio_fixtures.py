"""A local Echo with an AudioPlayer for the audio mode's tests: real espeak-ng clips, rendered once per run."""

from __future__ import annotations

from pathlib import Path

from skill.audio.clips import ClipLibrary, LocalClips
from skill.audio.tts import EspeakEngine
from skill.bootstrap import build_skill, build_sync_service
from skill.cli.audio_device import AudioDevice
from skill.cli.chat import Chat, WearableLink
from skill.companion.simulated import SimulatedWearable
from skill.companion.stream import Companion
from skill.content.schema import Content
from skill.storage.stores import Stores
from tests.conftest import START


def library(directory: Path) -> ClipLibrary:
    return ClipLibrary(EspeakEngine(), LocalClips(directory, "https://coach.example.org"))


def echo(content: Content, nlu, store: Stores, clips: ClipLibrary, wearable: bool = False) -> AudioDevice:
    link = None
    if wearable:
        from flask import Flask

        from skill.web.sync import sync_blueprint

        app = Flask("sync")
        app.register_blueprint(sync_blueprint(build_sync_service(store, clock=lambda: link.now_s)))
        client = app.test_client()

        def post(path, body, headers):
            answer = client.post(path, json=body, headers=headers)
            return answer.status_code, answer.get_json()

        link = WearableLink(Companion(post), SimulatedWearable())
    chat = Chat(build_skill(store, content, clips=clips), nlu, content, start_at=START, wearable=link)
    device = AudioDevice(chat, clips.duration_ms)
    if link is not None:
        link.pair(chat)
    return device
