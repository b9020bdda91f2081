"""Helpers for the screen tests: a local Echo Show, the scripts that take it through every screen, and the
documents its responses carry."""

from __future__ import annotations

import json
from typing import Any

from skill.bootstrap import build_app
from skill.cli.chat import Chat, Exchange
from skill.cli.nlu import Nlu
from skill.content.schema import Content
from skill.storage.stores import Stores
from tests.conftest import START

# Every screen the skill has: the workout playing, cut short, paused, resumed, touched, explained, finished,
# the week; a longer session; and screens with no workout under way.
TOUR = (
    "open back coach", "how many workouts did I do this week", "how do I do a band pull apart",
    "start my back workout", "@30 where am I", "next", "@15 tap pause", "tap resume", "@40 tap repeat", "@20 tap next",
    "help", "how do I do the i y t", "next", "next", "next", "next", "next", "how many workouts did I do this week",
    "pair my watch", "start the full upper back session", "start the full upper back session", "@25 pause",
    "resume", "next", "next", "next", "next",
    "next", "next", "next", "next", "stop",
)


def show_chat(store: Stores, content: Content, nlu: Nlu, device_kind: str = "show") -> Chat:
    return Chat(build_app(store, content), nlu, content, start_at=START, device_kind=device_kind)


def run(chat: Chat, lines: tuple[str, ...] = TOUR) -> list[Exchange]:
    for line in lines:
        chat.say(line)
    chat.end_session()
    return chat.history


def renders(exchange: Exchange) -> list[dict[str, Any]]:
    directives = exchange.response["response"].get("directives") or []
    return [d for d in directives if d["type"] == "Alexa.Presentation.APL.RenderDocument"]


def size(exchange: Exchange) -> int:
    """The response's size in bytes as a Lambda or the web endpoint sends it (json.dumps' default separators)."""
    return len(json.dumps(exchange.response).encode("utf-8"))
