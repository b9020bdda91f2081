"""The real `backcoach serve` on 127.0.0.1, started and stopped by a fixture: slow and idle clients (a bounded
number, for a bounded time) do not take it offline, an oversized body is refused without being read whole,
and the client address a trusted reverse proxy reports reaches the pairing limit."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pytest

from skill.web.server import CHANNEL_TIMEOUT_S, CLEANUP_INTERVAL_S, MAX_REQUEST_BODY_BYTES
from tests.integration.conftest import free_port

SLOW_CLIENTS = 150  # more than waitress's default connection limit of 100


def backcoach() -> list[str]:
    script = Path(sys.executable).with_name("backcoach")
    return [str(script)] if script.exists() else [sys.executable, "-m", "skill.cli.main"]


@contextmanager
def running_serve(folder: Path, **env_extra: str) -> Iterator[int]:
    """`backcoach serve` on a free loopback port until the block ends; yields the port. Its output goes to a
    file, not a pipe: nobody reads a pipe while the server runs, and a full one (waitress warns on every queued
    task under load) would block the server's logging and stall it. No traceback may appear in it."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("BACKCOACH_TABLE",)} | env_extra
    log = folder / "serve.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [*backcoach(), "serve", "--host", "127.0.0.1", "--port", str(port), "--db", str(folder / "s.sqlite3"),
             "--insecure-skip-verification"],
            env=env, stdout=out, stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 30
            while not healthy(port, 1):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(log.read_text()[-2000:] or "the server did not come up")
                time.sleep(0.1)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
    text = log.read_text()
    assert "Traceback" not in text, text[-2000:]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, int]]:
    """`backcoach serve` behind one (pretend) trusted proxy; yields (host, port), and stops it afterwards."""
    with running_serve(tmp_path, BACKCOACH_TRUSTED_PROXIES="1") as port:
        yield "127.0.0.1", port


def healthy(port: int, timeout: float) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=timeout) as answer:
            return answer.status == 200
    except OSError:
        return False


def connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=5)
    sock.settimeout(5)
    return sock


def test_slow_clients_do_not_take_it_offline(server: tuple[str, int]) -> None:
    _, port = server
    with ExitStack() as stack:
        slow = [stack.enter_context(connect(port)) for _ in range(SLOW_CLIENTS)]
        for sock in slow:  # each starts a request and then dribbles
            sock.sendall(b"POST /v1/pair HTTP/1.1\r\nHost: coach\r\n")
        for round_ in range(3):
            time.sleep(0.3)
            for sock in slow:
                sock.sendall(f"X-Dribble-{round_}: 1\r\n".encode())
            # Offline means no answer at all while they hold on; 5 s leaves room for a busy machine.
            assert healthy(port, 5), f"no answer with {SLOW_CLIENTS} slow clients connected"


def test_idle_connections_are_closed(server: tuple[str, int]) -> None:
    _, port = server
    with ExitStack() as stack:
        idle = [stack.enter_context(connect(port)) for _ in range(20)]
        time.sleep(0.2)
        deadline = time.monotonic() + CHANNEL_TIMEOUT_S + CLEANUP_INTERVAL_S + 3
        for sock in idle:
            sock.settimeout(max(0.1, deadline - time.monotonic()))
            assert sock.recv(1) == b""  # the server closed it: it sent nothing before the channel timeout
    assert healthy(port, 2)


def read_status(sock: socket.socket) -> int:
    head = b""
    while b"\r\n" not in head:
        chunk = sock.recv(4096)
        if not chunk:
            break
        head += chunk
    return int(head.split(b" ", 2)[1]) if head.startswith(b"HTTP/") else 0


def test_an_oversized_body_is_refused_without_being_read_whole(server: tuple[str, int]) -> None:
    _, port = server
    with connect(port) as sock:
        sock.sendall(b"POST / HTTP/1.1\r\nHost: coach\r\nContent-Type: application/json\r\n"
                     b"Content-Length: 10000000\r\n\r\n" + b" " * 65536)
        assert read_status(sock) == 413  # answered with about 64 KB of the 10 MB announced (the socket's timeout: 5 s)


def test_an_oversized_chunked_body_is_refused_before_it_ends(server: tuple[str, int]) -> None:
    _, port = server
    with connect(port) as sock:
        sock.sendall(b"POST /v1/heart-rate HTTP/1.1\r\nHost: coach\r\nContent-Type: application/json\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        chunk = b" " * 16384
        for _ in range(MAX_REQUEST_BODY_BYTES // len(chunk) + 2):
            try:
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            except (BrokenPipeError, ConnectionResetError):
                break
        assert read_status(sock) == 413  # the final zero-length chunk was never sent


def test_a_body_under_the_limit_still_reaches_the_app(server: tuple[str, int]) -> None:
    _, port = server
    body = json.dumps({"samples": [], "padding": " " * 50_000}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/heart-rate", data=body, method="POST",
                                     headers={"Content-Type": "application/json", "Authorization": "Bearer x"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=5)
    assert refused.value.code == 401  # the app answered (no such token), not the server's body limit


def pair(port: int, forwarded_for: str, code: str) -> int:
    request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/pair", data=json.dumps({"code": code}).encode(),
                                     method="POST", headers={"Content-Type": "application/json",
                                                             "X-Forwarded-For": forwarded_for})
    try:
        with urllib.request.urlopen(request, timeout=5) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        return error.code


def test_the_address_the_trusted_proxy_reports_reaches_the_pairing_limit(server: tuple[str, int]) -> None:
    _, port = server
    flood = [pair(port, "203.0.113.9", f"{n:06d}") for n in range(12)]  # one guesser, through the proxy
    assert flood[:10] == [403] * 10 and flood[10:] == [429, 429]
    assert pair(port, "198.51.100.7", "999999") == 403  # someone else is not held back by it


def test_the_readme_states_the_limits_the_code_has() -> None:
    from skill.heartrate.service import PAIRING_LIMITS
    from skill.web.server import MAX_CONNECTIONS, MAX_REQUEST_HEADER_BYTES

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    hosting = readme[readme.index("## Hosting the skill yourself"):]
    assert f"bodies over {MAX_REQUEST_BODY_BYTES // 1024} KB" in hosting
    assert f"max_size {MAX_REQUEST_BODY_BYTES // 1024}KB" in hosting
    assert f"client_max_body_size {MAX_REQUEST_BODY_BYTES // 1024}k" in hosting
    assert f"headers over {MAX_REQUEST_HEADER_BYTES // 1024} KB" in hosting
    assert f"closed after {CHANNEL_TIMEOUT_S} s" in hosting and f"up to {MAX_CONNECTIONS} connections" in hosting
    limits = {rule.kind: rule.attempts for rule in PAIRING_LIMITS}
    pairing = " ".join(readme[readme.index("Wrong codes are limited"):].split())
    most = 11 * limits["everyone"]  # a code's 10 minutes touch at most 11 one-minute windows
    assert f"{limits['client']} tries a minute from one address" in pairing
    assert f"{limits['code']} tries of one code in ten minutes" in pairing
    assert f"{limits['everyone']} a minute from everyone together" in pairing
    assert f"at most {most} guesses" in pairing and f"{most / 10**6:.3%}" in pairing
