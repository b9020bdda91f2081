"""Real clips end to end: espeak-ng renders them, `backcoach serve` (on loopback) answers a device with an
AudioPlayer with Play directives, and serves the clips at /clips/; what comes over HTTP is checked frame by
frame (bit rate, sample rate, length against the timeline)."""

from __future__ import annotations

import io
import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest
from mutagen.mp3 import MP3

from skill.audio.mp3 import read_mp3
from skill.cli import envelopes
from skill.content.schema import Content
from skill.engine.audio_plan import step_tracks
from skill.engine.plan import build_plan
from skill.speech.ssml import Speech
from skill.speech.timing import estimate_seconds
from tests.functional.audio_fixtures import library
from tests.integration.conftest import free_port
from tests.integration.test_web import backcoach, stop

PUBLIC = "https://coach.example.org"


@pytest.fixture
def server(tmp_path: Path):
    """`backcoach serve` on 127.0.0.1 with self-hosted clips; stopped after the test."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("BACKCOACH_TABLE", "BACKCOACH_AUDIO_BUCKET")}
    env.update(BACKCOACH_AUDIO_BASE_URL=PUBLIC, BACKCOACH_AUDIO_DIR=str(tmp_path / "clips"))
    process = subprocess.Popen(
        [*backcoach(), "serve", "--host", "127.0.0.1", "--port", str(port), "--db", str(tmp_path / "web.sqlite3"),
         "--insecure-skip-verification"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(process.stdout.read()) from None
            time.sleep(0.1)
    yield url, tmp_path / "clips"
    stop(process)


def post(url: str, body: dict) -> dict:
    request = urllib.request.Request(url + "/", data=json.dumps(body).encode(), method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers or {}), timeout=10) as answer:
        return answer.status, dict(answer.headers), answer.read()


def test_served_clips_are_the_mp3s_the_timeline_says(server, content: Content) -> None:
    url, clip_dir = server
    clips = library(clip_dir)  # the same directory the server renders into: every clip of the circuit, now
    speech = Speech(content)
    plan = build_plan(content, "six_minute")
    tracks = [t for i in range(len(plan.steps)) for t in step_tracks(plan, i)]
    for track in tracks:
        clips.clip(speech.ssml(track.prompts))
    request = envelopes.intent_request("StartWorkoutIntent", 1_795_000_000.0, {})
    body = envelopes.envelope(request, user="amzn1.ask.account.web", device="amzn1.ask.device.show",
                              session_id="s1", new_session=True, player={})
    answer = post(url, body)
    [play] = answer["response"]["directives"]
    stream = play["audioItem"]["stream"]
    assert play["playBehavior"] == "REPLACE_ALL" and answer["response"]["shouldEndSession"] is True
    assert stream["url"].startswith(PUBLIC + "/clips/") and len(stream["token"]) <= 1024
    checked = 0
    for track in tracks:
        ssml = speech.ssml(track.prompts)
        clip_url = clips.url(clips.clip(ssml)).replace(PUBLIC, url)
        status, headers, data = fetch(clip_url)
        assert status == 200 and headers["Content-Type"] == "audio/mpeg"
        info, reference = read_mp3(data), MP3(io.BytesIO(data)).info
        assert (reference.bitrate, reference.sample_rate, reference.channels) == (48000, 24000, 1)
        assert abs(info.duration_ms / 1000 - reference.length) < 0.06
        expected = estimate_seconds(ssml)  # the speech mode's timeline for the same words
        assert abs(reference.length - expected) <= max(4.0, 0.3 * expected), (track.step, track.part)
        checked += 1
    assert checked == len(tracks)
    status, headers, part = fetch(stream["url"].replace(PUBLIC, url), {"Range": "bytes=0-999"})
    assert status == 206 and len(part) == 1000
    with pytest.raises(urllib.error.HTTPError):
        fetch(f"{url}/clips/..%2Fweb.sqlite3.mp3")


def test_only_regular_files_inside_the_clip_folder_are_served(tmp_path: Path) -> None:
    """A clip-named symlink pointing out of the folder is not followed (issue 31); a real clip is served."""
    from flask import Flask

    from skill.web.clips import clips_blueprint

    folder, outside = tmp_path / "clips", tmp_path / "secret.txt"
    folder.mkdir()
    outside.write_text("not a clip")
    real, link, inner, dangling = ("a" * 40, "b" * 40, "c" * 40, "d" * 40)
    (folder / f"{real}.mp3").write_bytes(b"\xff\xfb" + bytes(100))
    (folder / f"{link}.mp3").symlink_to(outside)
    (folder / f"{inner}.mp3").symlink_to(folder)  # a directory, even inside the folder, is no clip
    (folder / f"{dangling}.mp3").symlink_to(tmp_path / "gone.mp3")
    app = Flask("clips")
    app.register_blueprint(clips_blueprint(folder))
    client = app.test_client()
    served = client.get(f"/clips/{real}.mp3")
    assert served.status_code == 200 and served.data.startswith(b"\xff\xfb")
    served.close()
    for name in (link, inner, dangling):
        answer = client.get(f"/clips/{name}.mp3")
        assert answer.status_code == 404, name
        assert b"not a clip" not in answer.data
