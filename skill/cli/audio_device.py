"""A local Echo with an AudioPlayer: it keeps the queue the skill's directives build, plays each clip for its
real length on simulated time, and sends the skill the lifecycle events a device sends (PlaybackStarted,
PlaybackNearlyFinished, PlaybackFinished, PlaybackStopped), each without a session.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from skill.cli import envelopes

if TYPE_CHECKING:
    from skill.cli.chat import Chat

NEARLY_MS = 3_000  # PlaybackNearlyFinished comes this long before a clip ends (or at once for a shorter one)
PLAYING, STOPPED, FINISHED, IDLE = "PLAYING", "STOPPED", "FINISHED", "IDLE"


@dataclass
class Item:
    token: str
    url: str
    offset_ms: int  # where playback of this item starts
    duration_ms: int
    title: str = ""


@dataclass
class Event:
    kind: str
    token: str
    offset_ms: int
    at_ms: int
    directives: list[dict[str, Any]] = field(default_factory=list)


def clip_of(url: str) -> str:
    """The clip id in a clip's URL (…/clips/<id>.mp3, a file: URL, or a presigned S3 URL)."""
    return Path(urlparse(url).path).name.removesuffix(".mp3")


class AudioDevice:
    def __init__(self, chat: Chat, duration_ms: Callable[[str], int], show: Callable[[str], None] | None = None,
                 speak_to: Path | None = None, clip_bytes: Callable[[str], bytes] | None = None) -> None:
        """`duration_ms(clip id)`: each clip's real length; `speak_to`: play clips aloud (or save them there)."""
        self.chat = chat
        self.duration_ms = duration_ms
        self.show = show
        self.speak_to = speak_to
        self.clip_bytes = clip_bytes
        self.queue: list[Item] = []
        self.current: Item | None = None
        self.started_at_ms = 0  # simulated time at which `current` began playing from its offset
        self.activity = IDLE
        self.now_ms = int(chat.clock * 1000)
        self.nearly_sent = False
        self.events: list[Event] = []
        self.played: list[Item] = []  # every item that started playing, in order
        self.rejected: list[dict[str, Any]] = []  # ENQUEUEs whose expectedPreviousToken did not match
        chat.player = self

    # -- what a request's context says ---------------------------------------------------------------

    def offset(self, at_ms: int | None = None) -> int:
        if self.current is None:
            return 0
        if self.activity != PLAYING:
            return self.current.offset_ms
        at = self.now_ms if at_ms is None else at_ms
        return min(self.current.duration_ms, self.current.offset_ms + max(0, at - self.started_at_ms))

    def context(self) -> dict[str, Any]:
        if self.current is None:
            return {"playerActivity": IDLE}
        return {"token": self.current.token, "offsetInMilliseconds": self.offset(), "playerActivity": self.activity}

    # -- directives ----------------------------------------------------------------------------------

    def respond(self, response: dict[str, Any], start_ms: int) -> None:
        """Carries out a response's directives; a Play after speech starts when the speech ends (`start_ms`)."""
        for directive in (response.get("response") or {}).get("directives") or []:
            kind = directive.get("type")
            if kind == "AudioPlayer.Stop":
                self._stop(self.now_ms)
            elif kind == "AudioPlayer.ClearQueue":
                self.queue.clear()
            elif kind == "AudioPlayer.Play":
                self._play(directive, start_ms)

    def _item(self, directive: dict[str, Any]) -> Item:
        stream = directive["audioItem"]["stream"]
        title = ((directive["audioItem"].get("metadata") or {}).get("title")) or ""
        return Item(stream["token"], stream["url"], int(stream.get("offsetInMilliseconds") or 0),
                    self.duration_ms(clip_of(stream["url"])), title)

    def _play(self, directive: dict[str, Any], start_ms: int) -> None:
        item = self._item(directive)
        if directive["playBehavior"] == "ENQUEUE":
            playing = self.queue[-1].token if self.queue else (self.current.token if self.current else None)
            if directive["audioItem"]["stream"].get("expectedPreviousToken") != playing:
                self.rejected.append(directive)
                return
            self.queue.append(item)
            return
        if self.activity == PLAYING:
            self._stop(self.now_ms)
        self.queue = []
        self._start(item, max(start_ms, self.now_ms))

    def _start(self, item: Item, at_ms: int) -> None:
        self.current, self.started_at_ms, self.activity, self.nearly_sent = item, at_ms, PLAYING, False
        self.now_ms = at_ms
        self.played.append(item)
        if self.chat.wearable is not None:  # the simulated heart works through a move and recovers in a rest
            step, part = [*item.token.split("~"), "", "", "", "", ""][3:5]
            kind = "rest" if step.endswith(".rest") else "move" if part == "main" else "between"
            self.chat.wearable.simulated.follow([(at_ms, at_ms + item.duration_ms - item.offset_ms, kind)])
        self._say(item)
        self.send("AudioPlayer.PlaybackStarted", item.token, item.offset_ms, at_ms)

    def _stop(self, at_ms: int) -> None:
        if self.current is None or self.activity != PLAYING:
            return
        offset = self.offset(at_ms)
        self.current = Item(self.current.token, self.current.url, offset, self.current.duration_ms, self.current.title)
        self.activity = STOPPED
        self.queue.clear()
        self.send("AudioPlayer.PlaybackStopped", self.current.token, offset, at_ms)

    # -- time passing --------------------------------------------------------------------------------

    def play_until(self, until_ms: int) -> None:
        """Plays on to `until_ms`, sending every lifecycle event that falls before it."""
        while self.activity == PLAYING and self.current is not None:
            item = self.current
            left = item.duration_ms - item.offset_ms
            nearly_at = self.started_at_ms + max(0, left - NEARLY_MS)
            end_at = self.started_at_ms + left
            if not self.nearly_sent and nearly_at <= until_ms:
                self.nearly_sent = True
                self.now_ms = nearly_at
                self.send("AudioPlayer.PlaybackNearlyFinished", item.token, self.offset(nearly_at), nearly_at)
                continue
            if end_at > until_ms:
                break
            self.now_ms = end_at
            self.send("AudioPlayer.PlaybackFinished", item.token, item.duration_ms, end_at)
            if self.queue:
                self._start(self.queue.pop(0), end_at)
            else:
                self.activity, self.current = FINISHED, None
        self.now_ms = max(self.now_ms, until_ms)

    def play_to_end(self, limit_ms: int = 4 * 3600 * 1000) -> None:
        """Plays until the queue runs out (or for `limit_ms` at most)."""
        self.play_until(self.now_ms + limit_ms) if self.activity == PLAYING else None

    # -- requests ------------------------------------------------------------------------------------

    def send(self, kind: str, token: str, offset_ms: int, at_ms: int) -> dict[str, Any]:
        chat = self.chat
        if chat.wearable is not None:
            chat.wearable.before(at_ms)
        request = envelopes.player_event(kind, at_ms / 1000, token, offset_ms)
        envelope = envelopes.envelope(request, user=chat.user, device=chat.device, session_id="", new_session=False,
                                      player=self.context(), access_token=chat.access_token)
        response = chat.app.handle(json.loads(json.dumps(envelope))) or {}
        directives = (response.get("response") or {}).get("directives") or []
        self.events.append(Event(kind, token, offset_ms, at_ms, directives))
        if (response.get("response") or {}).get("outputSpeech"):
            raise AssertionError(f"{kind} was answered with speech")
        self.respond(response, at_ms)
        return response

    def _say(self, item: Item) -> None:
        if self.show is not None:
            seconds = (self.now_ms // 1000) - int(self.chat.history[0].at if self.chat.history else 0)
            self.show(f"       ▶ {seconds // 60}:{seconds % 60:02d} {item.title} ({item.duration_ms / 1000:.1f} s"
                      + (f", from {item.offset_ms / 1000:.1f} s)" if item.offset_ms else ")"))
        if self.speak_to is not None and self.clip_bytes is not None:
            data = self.clip_bytes(clip_of(item.url))
            player = shutil.which("mpg123") or shutil.which("ffplay")
            if player and Path("/dev/snd").exists():
                extra = ["-q"] if player.endswith("mpg123") else ["-nodisp", "-autoexit", "-loglevel", "quiet"]
                subprocess.run([player, *extra, "-"], input=data, check=False)
            else:
                self.speak_to.mkdir(parents=True, exist_ok=True)
                (self.speak_to / f"{len(self.played):03d}-{clip_of(item.url)[:12]}.mp3").write_bytes(data)
