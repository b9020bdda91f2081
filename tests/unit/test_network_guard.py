"""The tests' network guard (tests/network_guard.py): past loopback, a test is refused at once and fails."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from skill.bootstrap import build_app
from skill.cli.chat import Chat
from skill.cli.nlu import Nlu
from skill.content import Content
from skill.storage.stores import Stores
from tests import network_guard
from tests.conftest import START


def test_a_connection_past_loopback_is_refused_at_once_and_recorded() -> None:
    began = time.monotonic()
    with pytest.raises(network_guard.OutsideNetwork):
        socket.create_connection(("192.0.2.1", 443), timeout=5)
    with pytest.raises(network_guard.OutsideNetwork):
        socket.getaddrinfo("api.amazonalexa.com", 443)
    assert time.monotonic() - began < 1
    assert network_guard.take() == ["lookup 192.0.2.1", "lookup api.amazonalexa.com"]
    with socket.socket() as raw, pytest.raises(network_guard.OutsideNetwork):
        raw.connect(("192.0.2.1", 443))
    assert network_guard.take() == ["connect 192.0.2.1:443"]


def test_loopback_is_allowed() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname(), timeout=5):
            pass
    assert network_guard.take() == []


def test_an_envelope_naming_alexas_real_api_is_caught_even_though_the_skill_carries_on(
        content: Content, nlu: Nlu, store: Stores) -> None:
    """The settings API call fails quietly in the skill (the day is counted in UTC), but the guard saw it: left
    to the autouse check, this test would fail."""
    chat = Chat(build_app(store, content), nlu, content, start_at=START,
                api_endpoint="https://api.amazonalexa.com")
    chat.say("start my back workout")
    assert network_guard.take() == ["lookup api.amazonalexa.com"]


def test_a_subprocess_the_tests_start_is_guarded_too(tmp_path: Path) -> None:
    log = tmp_path / "refused.log"
    env = {**os.environ, network_guard.GUARD_LOG: str(log)}
    run = subprocess.run([sys.executable, "-c", "import socket; socket.create_connection(('192.0.2.1', 443), 5)"],
                         env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode != 0 and "OutsideNetwork" in run.stderr
    assert log.read_text().split(" ", 1)[1].strip() == "lookup 192.0.2.1"
