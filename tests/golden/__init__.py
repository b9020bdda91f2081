"""Golden transcripts: what the coach says and sends in scripted conversations, in both modes, captured before a
refactor and compared after it (tests/functional/test_golden_speech.py names every intended difference).

Each scenario runs the real skill through the local chat on simulated time. A transcript line is one request
and everything in its response that a person or a device meets: the SSML, the reprompt, whether the session
ends, the card, the screen's data, and the AudioPlayer directives (behaviour, step, track, offset, title). The
audio mode's clips are listed once each with their SSML. Clips are "rendered" by a recorder, not espeak-ng, and
last as long as the speech layer's estimate, so a transcript depends on nothing outside this repository.

Regenerate the captured files with `python -m tests.golden.capture` (only when a difference is intended and
named in the test).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from skill.alexa.player import parse_token
from skill.alexa.zones import Zones
from skill.audio.clips import ClipLibrary
from skill.bootstrap import build_app
from skill.cli.audio_device import AudioDevice, clip_of
from skill.cli.chat import Chat, Exchange
from skill.cli.nlu import Nlu
from skill.content.schema import Content
from skill.speech.timing import estimate_seconds
from skill.storage.stores import sqlite_stores

GOLDEN = Path(__file__).parent
START = 1_795_000_000.0
DEMO = [line for line in (Path(__file__).resolve().parents[2] / "skill" / "cli" / "demo.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")]


@dataclass
class RecordingClips:
    """A clip store and engine in one: keeps each clip's SSML, and a clip lasts as long as its estimate."""

    ssml: dict[str, str] = field(default_factory=dict)
    name: str = "golden"
    voice: str = "golden"

    def render(self, ssml: str) -> bytes:
        return ssml.encode()

    def has(self, clip: str) -> bool:
        return clip in self.ssml

    def put(self, clip: str, data: bytes) -> None:
        self.ssml[clip] = data.decode()

    def get(self, clip: str) -> bytes:
        return self.ssml[clip].encode()

    def url(self, clip: str) -> str:
        return f"https://coach.example.org/clips/{clip}.mp3"

    def duration_ms(self, clip: str) -> int:
        return int(estimate_seconds(self.ssml[clip]) * 1000)


def _directives(response: dict[str, Any]) -> list[str]:
    out = []
    for d in (response.get("response") or {}).get("directives") or []:
        kind = d.get("type", "")
        if kind == "AudioPlayer.Play":
            stream = d["audioItem"]["stream"]
            token = parse_token(stream["token"])
            where = f"{token.step}~{token.part}" if token else stream["token"]
            title = (d["audioItem"].get("metadata") or {}).get("title", "")
            subtitle = (d["audioItem"].get("metadata") or {}).get("subtitle", "")
            out.append(f"play {d['playBehavior']} {where} clip={clip_of(stream['url'])[:12]} "
                       f"offset={stream.get('offsetInMilliseconds') or 0} title={title!r} subtitle={subtitle!r}")
        elif kind.endswith("APL.RenderDocument"):
            out.append(f"screen {d['token'].rsplit('.', 1)[-1]} {json.dumps(d['datasources'], sort_keys=True)}")
        elif kind.endswith("APL.ExecuteCommands"):
            out.append(f"screen-commands {json.dumps(d.get('commands'), sort_keys=True)}")
        else:
            out.append(kind)
    return out


def exchange_lines(said: str, at: float, response: dict[str, Any]) -> list[str]:
    body = response.get("response") or {}
    lines = [f"> {said} @{at - START:.0f}"]
    speech = (body.get("outputSpeech") or {}).get("ssml")
    if speech:
        lines.append(f"  speech: {speech}")
    reprompt = ((body.get("reprompt") or {}).get("outputSpeech") or {}).get("ssml")
    if reprompt:
        lines.append(f"  reprompt: {reprompt}")
    if "shouldEndSession" in body:
        lines.append(f"  end: {body['shouldEndSession']}")
    card = body.get("card")
    if card:
        lines.append(f"  card: {json.dumps(card, sort_keys=True)}")
    lines += [f"  {d}" for d in _directives(response)]
    return lines


class Transcript:
    """A chat (optionally with an AudioPlayer device) whose every request and event is written down."""

    def __init__(self, content: Content, nlu: Nlu, audio: bool = False, device_kind: str = "speaker") -> None:
        self.lines: list[str] = []
        self.store = sqlite_stores()
        self.clips = RecordingClips() if audio else None
        library = ClipLibrary(self.clips, self.clips) if self.clips is not None else None
        app = build_app(self.store, content, clips=library, zones=Zones(lambda *_: "Europe/London"))
        self.chat = Chat(app, nlu, content, start_at=START, device_kind=device_kind)
        self.device = AudioDevice(self.chat, self.clips.duration_ms) if self.clips is not None else None
        if self.device is not None:
            self._watch_events(self.device)

    def _watch_events(self, device: AudioDevice) -> None:
        send = device.send

        def recorded(kind: str, token: str, offset_ms: int, at_ms: int) -> dict[str, Any]:
            response = send(kind, token, offset_ms, at_ms)
            parsed = parse_token(token)
            where = f"{parsed.step}~{parsed.part}" if parsed else token
            self.lines += exchange_lines(f"[{kind} {where} at {offset_ms}]", at_ms / 1000, response)
            return response

        device.send = recorded  # type: ignore[method-assign]

    def say(self, line: str) -> Exchange | None:
        before = len(self.lines)
        if self.device is not None and self.device.now_ms > self.chat.clock * 1000:
            self.chat.clock, self.chat.last_start = self.device.now_ms / 1000, None  # said while the stream plays
        exchange = self.chat.say(line)
        if exchange is not None:
            self.lines[before:before] = exchange_lines(line, exchange.at, exchange.response)
        return exchange

    def play(self, seconds: float | None = None) -> None:
        if self.device is None:
            return
        if seconds is None:
            self.device.play_to_end()
        else:
            self.device.play_until(self.device.now_ms + int(seconds * 1000))

    def press(self, button: str) -> None:
        """A button on the device or a remote (PlaybackController): Play, Pause, Next or Previous."""
        device = self.device
        if device is None or device.current is None:
            return
        device.send(f"PlaybackController.{button}CommandIssued", device.current.token, device.offset(), device.now_ms)

    def text(self) -> str:
        out = list(self.lines)
        if self.clips is not None:
            out.append("== clips ==")
            out += [f"{clip[:12]}: {ssml}" for clip, ssml in sorted(self.clips.ssml.items())]
        return "\n".join(out) + "\n"


def demo_speech(content: Content, nlu: Nlu) -> str:
    t = Transcript(content, nlu)
    for line in DEMO:
        t.say(line)
    t.chat.end_session()
    return t.text()


def demo_audio(content: Content, nlu: Nlu) -> str:
    """`make demo`'s audio half: one sentence, then pause and resume mid-stream, played to the end."""
    t = Transcript(content, nlu, audio=True)
    t.say("ask back coach to start my back workout")
    t.play(20)
    t.say("alexa pause")
    t.play(5)
    t.say("alexa resume")
    t.play()
    return t.text()


def many_commands(content: Content, nlu: Nlu) -> str:
    """Speech mode on a screen: most of what people say, mid-workout and around it, across three days."""
    t = Transcript(content, nlu, device_kind="show")
    script = [
        "open back coach", "how do I do a band pull apart", "start my back workout", "@30 pause", "where am I",
        "resume", "@20 slow down", "repeat", "@15 how much longer", "@10 what's next",
        "@12 what muscles does this work",
        "next", "go back", "@8 skip this exercise", "@5 make it easier", "@6 make it harder", "@7 this hurts",
        "resume", "tap pause", "tap resume", "@9 i can't do this one", "next", "next", "next", "next",
        "how am i doing this week", "what did I do last time", "help", "stop",
    ]
    for line in script:
        t.say(line)
    t.chat.end_session()
    for day in (1, 2, 3):  # three more workouts done in full: the week, and a progression offer
        t.chat.wait(86_400)
        t.say("ask back coach to start my back workout")
        for _ in range(6):
            exchange = t.say("next")
            if exchange is None or exchange.ends_session or "Shall I" in exchange.text:
                break
        if day == 3:
            t.say("yes")
        t.chat.end_session()
    t.chat.wait(86_400)
    t.say("open back coach")
    t.say("start the full upper back session")
    t.say("i have a band and dumbbells")
    t.say("start the full upper back session")
    t.say("@20 stop")
    t.chat.wait(3600 * 30)
    t.say("open back coach")
    t.say("resume")
    t.chat.end_session()
    return t.text()


def audio_commands(content: Content, nlu: Nlu) -> str:
    """The audio mode steered by voice and by the device's buttons, with a question mid-stream."""
    t = Transcript(content, nlu, audio=True)
    t.say("ask back coach to start my back workout")
    steps: list[tuple[str, Callable[[], object]]] = [
        ("play 30", lambda: t.play(30)), ("next", lambda: t.say("alexa next")), ("play 10", lambda: t.play(10)),
        ("how", lambda: t.say("ask back coach how do I do this one")), ("play 15", lambda: t.play(15)),
        ("previous", lambda: t.say("alexa go back")), ("play 5", lambda: t.play(5)),
        ("repeat", lambda: t.say("alexa repeat")), ("play 5", lambda: t.play(5)),
        ("where", lambda: t.say("ask back coach where am I")), ("play 5", lambda: t.play(5)),
        ("stop", lambda: t.say("alexa stop")), ("wait", lambda: t.chat.wait(120)),
        ("launch", lambda: t.say("open back coach")), ("play 40", lambda: t.play(40)),
        ("start over", lambda: t.say("alexa start over")), ("play 20", lambda: t.play(20)),
        ("button next", lambda: t.press("Next")), ("play 8", lambda: t.play(8)),
        ("button previous", lambda: t.press("Previous")), ("play 8", lambda: t.play(8)),
        ("button pause", lambda: t.press("Pause")), ("button play", lambda: t.press("Play")),
        ("play 8", lambda: t.play(8)),
        ("speech mode", lambda: t.say("ask back coach to use speech mode")),
    ]
    for _, step in steps:
        step()
    return t.text()


SCENARIOS: dict[str, Callable[[Content, Nlu], str]] = {
    "demo-speech": demo_speech, "demo-audio": demo_audio, "many-commands": many_commands,
    "audio-commands": audio_commands,
}
