"""The tests' network guard: nothing a test runs may reach past this machine's loopback.

A connection or a name lookup for anything but loopback is refused at once (no test waits on a timeout) and
recorded; `tests/conftest.py` fails the test that made it, even when the code under test swallowed the error.
Subprocesses that tests start (servers, the CLI) load the same guard through `tests/guard_site/sitecustomize.py`
and append what they tried to the file named by GUARD_LOG, which the conftest reads after each test.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from typing import Any

GUARD_LOG = "BACKCOACH_TEST_NETWORK_LOG"  # a file the guarded subprocesses append refused addresses to
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain", "ip6-localhost", ""})
attempts: list[str] = []  # what this process tried since the last `take()`

_original: dict[str, Any] = {}
_record_to: list[str] = []  # a subprocess's log file (GUARD_LOG), set by install()


class OutsideNetwork(OSError):
    """A test tried to reach past loopback."""


def is_local(host: Any) -> bool:
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    if not isinstance(host, str):
        return False
    name = host.strip("[]").split("%")[0].lower()
    if name in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback or ipaddress.ip_address(name).is_unspecified
    except ValueError:
        return False


def _refuse(what: str) -> OutsideNetwork:
    attempts.append(what)
    for log in _record_to:
        with open(log, "a", encoding="utf-8") as out:
            out.write(f"{os.getpid()} {what}\n")
    return OutsideNetwork(f"the tests reach nothing past loopback: refused {what}")


def _check(sock: socket.socket, address: Any) -> None:
    inet = sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple) and address
    if inet and not is_local(address[0]):
        raise _refuse(f"connect {address[0]}:{address[1] if len(address) > 1 else '?'}")


def _connect(self: socket.socket, address: Any) -> None:
    _check(self, address)
    return _original["connect"](self, address)


def _connect_ex(self: socket.socket, address: Any) -> int:
    _check(self, address)
    return _original["connect_ex"](self, address)


def _getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
    if host is not None and not is_local(host):
        raise _refuse(f"lookup {host!s}")
    return _original["getaddrinfo"](host, *args, **kwargs)


def install(record_to: str | None = None) -> None:
    """Guards this process (idempotent); `record_to`: a file to append refusals to, for a subprocess whose own
    errors the test may never see."""
    if record_to:
        _record_to[:] = [record_to]
    if _original:
        return
    _original.update(connect=socket.socket.connect, connect_ex=socket.socket.connect_ex,
                     getaddrinfo=socket.getaddrinfo)
    socket.socket.connect = _connect  # type: ignore[method-assign]
    socket.socket.connect_ex = _connect_ex  # type: ignore[method-assign]
    socket.getaddrinfo = _getaddrinfo


def take() -> list[str]:
    """What was refused in this process since the last call, and forget it."""
    found = list(attempts)
    attempts.clear()
    return found
