"""Amazon Polly (a neural voice) for production clips: the project's SSML translated to what Polly accepts.

Neural voices accept <speak>, <break>, <p>, <s> and some <say-as>; an unsupported tag is an error, and Alexa's
own tags (<audio>, <voice>, <amazon:...>) mean nothing to Polly. Each request carries at most 6,000
characters, so a long clip is sent in pieces cut between elements or sentences, and the MP3s are joined
(MPEG frames concatenate).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from html import escape
from typing import Any

from skill.audio.tts import SAMPLE_RATE, TtsError

MAX_REQUEST_CHARS = 6000
MAX_BREAK_MS = 10_000
KEPT = {"speak", "break", "p", "s"}
# <say-as> values the neural voices read themselves; any other is replaced by its text.
SAY_AS = {"cardinal", "number", "ordinal", "digits", "fraction", "unit", "date", "time", "telephone", "address"}
_TIME = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s)\s*$")
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def break_ms(value: str) -> int:
    match = _TIME.match(value or "")
    if not match:
        return 0
    return round(float(match.group(1)) * (1 if match.group(2) == "ms" else 1000))


def _breaks(ms: int) -> list[str]:
    out = []
    while ms > 0:
        chunk = min(ms, MAX_BREAK_MS)
        out.append(f'<break time="{chunk}ms"/>')
        ms -= chunk
    return out


def _pieces(element: ET.Element) -> list[str]:
    """The element's content as a flat list of SSML pieces (text and kept tags)."""
    out: list[str] = []
    tag = element.tag
    if tag == "break":
        out += _breaks(break_ms(element.get("time", "")) or (1000 if element.get("strength") == "x-strong" else 0))
    elif tag == "say-as" and element.get("interpret-as") in SAY_AS:
        said = escape("".join(element.itertext()), quote=False)
        out.append(f'<say-as interpret-as="{element.get("interpret-as")}">{said}</say-as>')
        if element.tail:
            out.append(escape(element.tail, quote=False))
        return out
    elif tag in ("p", "s"):
        out.append(f"<{tag}>")
    if tag not in ("break", "audio") and element.text:
        out.append(escape(element.text, quote=False))
    if tag not in ("audio",):  # Alexa's <audio> has no words
        for child in element:
            out += _pieces(child)
    if tag in ("p", "s"):
        out.append(f"</{tag}>")
    if element.tail:
        out.append(escape(element.tail, quote=False))
    return out


def polly_requests(ssml: str, limit: int = MAX_REQUEST_CHARS) -> list[str]:
    """`ssml` as one or more <speak> documents Polly's neural voices accept, each within `limit` characters."""
    try:
        root = ET.fromstring(re.sub(r"<(/?)amazon:", r"<\1amazon-", ssml))  # Alexa's tags, undeclared prefix
    except ET.ParseError as e:
        raise TtsError(f"not SSML: {e}") from e
    room = limit - len("<speak></speak>")
    pieces: list[str] = []
    for piece in [x for child in [root] for x in _pieces(child)]:
        if len(piece) <= room or piece.startswith("<"):
            pieces.append(piece)
        else:  # a long run of words: cut between sentences, then anywhere between words
            for sentence in _SENTENCE.split(piece):
                while len(sentence) > room:
                    cut = sentence.rfind(" ", 0, room) if sentence.rfind(" ", 0, room) > 0 else room
                    pieces.append(sentence[:cut])
                    sentence = sentence[cut:].lstrip()
                pieces.append(sentence + " ")
    documents, current, depth = [], "", 0
    for piece in pieces:
        # Cut only outside <p>/<s>, so each document stays well formed.
        if current and depth == 0 and len(current) + len(piece) > room:
            documents.append(current)
            current = ""
        current += piece
        depth += piece.startswith("<p>") + piece.startswith("<s>") - piece.startswith("</p>") - piece.startswith("</s>")
    if current.strip():
        documents.append(current)
    out = [f"<speak>{d.strip()}</speak>" for d in documents]
    if any(len(d) > limit for d in out):
        raise TtsError("a paragraph is longer than one Polly request")
    return out


class PollyEngine:
    """Renders with Polly's neural engine; the boto3 client is built on first use (and only where it is used)."""

    def __init__(self, voice: str = "Joanna", client: Callable[[], Any] | None = None, region: str = "") -> None:
        self.voice = voice
        self.name = "polly-neural"
        self._factory = client
        self._region = region
        self._client: Any = None
        self.characters = 0  # billed characters requested (Polly bills the text, not the tags)

    def client(self) -> Any:
        if self._client is None:
            if self._factory is not None:
                self._client = self._factory()
            else:
                import boto3

                self._client = boto3.client("polly", **({"region_name": self._region} if self._region else {}))
        return self._client

    def render(self, ssml: str) -> bytes:
        audio = b""
        for document in polly_requests(ssml):
            answer = self.client().synthesize_speech(
                Engine="neural", OutputFormat="mp3", SampleRate=str(SAMPLE_RATE), Text=document,
                TextType="ssml", VoiceId=self.voice)
            self.characters += int(answer.get("RequestCharacters", 0))
            audio += answer["AudioStream"].read()
        if not audio:
            raise TtsError("Polly returned no audio")
        return audio
