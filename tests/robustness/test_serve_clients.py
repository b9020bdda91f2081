"""Generated crowds of misbehaving clients against one real `backcoach serve` on loopback: idle, dribbling,
oversized, garbage and vanishing connections, a bounded number for a bounded time. After each crowd the server
still answers its health check at once, and it never prints a traceback."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import ExitStack, suppress
from typing import Any

import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

from tests.integration.test_serve import healthy, running_serve
from tests.robustness.conftest import TRIED

# A crowd takes up to half a second: the short profile tries a few, `make fuzz` a few hundred.
CROWDS = max(5, min(settings.default.max_examples // 4, 300))
HEALTH_TIMEOUT_S = 5


@pytest.fixture(scope="module")
def port(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    with running_serve(tmp_path_factory.mktemp("serve")) as port:
        yield port


HEAD = b"POST / HTTP/1.1\r\nHost: coach\r\nContent-Type: application/json\r\n"
behaviours = st.sampled_from(["idle", "dribble_head", "dribble_body", "huge_length", "garbage", "vanish",
                              "huge_chunked", "huge_header", "pipelined"])


def start(sock: socket.socket, behaviour: str, garbage: bytes) -> None:
    """The first bytes a client of this kind sends."""
    if behaviour == "dribble_head":
        sock.sendall(HEAD[:20])
    elif behaviour == "dribble_body":
        sock.sendall(HEAD + b"Content-Length: 5000\r\n\r\n{")
    elif behaviour == "huge_length":
        sock.sendall(HEAD + b"Content-Length: 999999999\r\n\r\n" + b" " * 4096)
    elif behaviour == "garbage":
        sock.sendall(garbage)
    elif behaviour == "huge_chunked":
        sock.sendall(HEAD + b"Transfer-Encoding: chunked\r\n\r\n" + b"ffffff\r\n" + b" " * 8192)
    elif behaviour == "huge_header":
        sock.sendall(HEAD + b"X-Big: " + b"a" * 60_000 + b"\r\n\r\n")
    elif behaviour == "pipelined":
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: c\r\n\r\n" * 50)


def keep_going(sock: socket.socket, behaviour: str) -> None:
    if behaviour == "dribble_head":
        sock.sendall(b"X")
    elif behaviour == "dribble_body":
        sock.sendall(b" ")


clients = st.tuples(behaviours, st.binary(min_size=1, max_size=200))
# Crowds of every size up to 160, more than waitress's default limit of 100 connections.
crowds = st.integers(1, 160).flatmap(lambda n: st.lists(clients, min_size=n, max_size=n))


@given(crowd=crowds, rounds=st.integers(0, 3))
@settings(max_examples=CROWDS, phases=(Phase.explicit, Phase.reuse, Phase.generate))  # shrinking one takes minutes
def test_crowds_of_misbehaving_clients_never_take_it_offline(port: int, crowd: list[Any], rounds: int) -> None:
    with ExitStack() as stack:
        open_ = []
        for behaviour, garbage in crowd:
            sock = stack.enter_context(socket.create_connection(("127.0.0.1", port), timeout=2))
            try:
                start(sock, behaviour, garbage)
            except OSError:
                continue  # the server already refused it: fine
            if behaviour == "vanish":
                sock.close()
            else:
                open_.append((sock, behaviour))
        for _ in range(rounds):
            time.sleep(0.1)
            for sock, behaviour in open_:
                with suppress(OSError):
                    keep_going(sock, behaviour)
        TRIED["misbehaving clients against a real server"] += len(crowd)
        # Offline means no answer at all while the crowd holds on; 5 s leaves room for a busy machine.
        assert healthy(port, HEALTH_TIMEOUT_S), f"no answer with {len(crowd)} misbehaving clients"
