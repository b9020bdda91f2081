"""The companion's streaming loop, without Bluetooth: a fake sensor that drops out and comes back, and a sync API
that fails and then recovers. Sending never blocks the loop; what it does is said in the terminal unless quiet."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from collections.abc import AsyncIterator
from typing import Any

import pytest

from skill.companion.hrm import HEART_RATE_MEASUREMENT
from skill.companion.stream import Companion, Status, ble_heart_rate, stream


class FakeClient:
    """A BleakClient stand-in: after connect and start_notify it sends `bpms` as Heart Rate Measurements, then
    drops out (bleak's disconnected callback) unless `stay` is set."""

    def __init__(self, bpms: list[int], on_disconnect: Any, stay: bool = False, fail: bool = False) -> None:
        self.bpms, self.on_disconnect, self.stay, self.fail = bpms, on_disconnect, stay, fail
        self.disconnected = False

    async def connect(self) -> None:
        if self.fail:
            raise OSError("the strap is out of range")

    async def start_notify(self, uuid: str, callback: Any) -> None:
        assert uuid == HEART_RATE_MEASUREMENT

        async def notify() -> None:
            for bpm in self.bpms:
                callback(None, bytearray([0x00, bpm]))  # flags 0: an 8-bit value
                await asyncio.sleep(0)
            if not self.stay:
                self.on_disconnect(self)

        asyncio.get_running_loop().create_task(notify())

    async def disconnect(self) -> None:
        self.disconnected = True


class FakeSensor:
    """Hands out one FakeClient per connection attempt, as planned: a list of (bpms, stay, fail)."""

    def __init__(self, plan: list[tuple[list[int], bool, bool]]) -> None:
        self.plan, self.clients, self.waits = plan, [], []

    def connect(self, address: str, on_disconnect: Any) -> FakeClient:
        bpms, stay, fail = self.plan[len(self.clients)]
        client = FakeClient(bpms, on_disconnect, stay, fail)
        self.clients.append(client)
        return client

    async def sleep(self, seconds: float) -> None:
        self.waits.append(seconds)


async def take(readings: AsyncIterator[tuple[int, int]], n: int) -> list[int]:
    got = []
    async for _, bpm in readings:
        got.append(bpm)
        if len(got) == n:
            break
    await readings.aclose()
    return got


def test_a_strap_that_drops_out_is_reconnected_with_backoff() -> None:
    sensor = FakeSensor([([70, 71, 72], False, False), ([], False, True), ([73, 74], True, False)])
    lines: list[str] = []
    readings = ble_heart_rate("AA:BB", status=Status(out=lines.append), connect=sensor.connect, sleep=sensor.sleep)
    assert asyncio.run(take(readings, 5)) == [70, 71, 72, 73, 74]  # nothing lost across the reconnect
    assert sensor.waits == [1, 2]  # after the drop-out, and after the failed attempt: backing off
    assert all(client.disconnected for client in sensor.clients[:1])
    assert lines[0] == "Connected to AA:BB." and "The sensor disconnected." in lines
    assert any(line.startswith("No heart-rate sensor (OSError") for line in lines)
    assert lines.count("Connected to AA:BB.") == 2


def test_a_sensor_that_goes_quiet_without_saying_so_is_reconnected() -> None:
    sensor = FakeSensor([([80], True, False), ([81], True, False)])
    readings = ble_heart_rate("AA:BB", connect=sensor.connect, sleep=sensor.sleep, stale_s=0.05)
    assert asyncio.run(take(readings, 2)) == [80, 81]
    assert sensor.waits == [1] and sensor.clients[0].disconnected


def test_with_no_address_it_scans_and_says_when_nothing_is_found() -> None:
    sensor = FakeSensor([([90], True, False)])
    found = iter([None, "CC:DD"])

    async def find(_: float) -> str | None:
        return next(found)

    lines: list[str] = []
    readings = ble_heart_rate(status=Status(out=lines.append), connect=sensor.connect, find=find, sleep=sensor.sleep)
    assert asyncio.run(take(readings, 1)) == [90]
    assert "no heart-rate device found" in lines[0] and "Connected to CC:DD." in lines


class FlakyApi:
    """The sync API's transport: fails `failures` times (unreachable), then takes everything. Each call blocks
    until the reader has added another reading, which it can only do if the loop is not blocked meanwhile."""

    def __init__(self, failures: int) -> None:
        self.failures, self.calls, self.received = failures, 0, []
        self.progress = threading.Event()
        self.saw_progress: list[bool] = []
        self.finished = False

    def __call__(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        if not self.finished:
            self.progress.clear()
            self.saw_progress.append(self.progress.wait(5))  # readings keep arriving while this request waits
        self.calls += 1
        if self.calls <= self.failures:
            raise ConnectionRefusedError("sync API down")
        self.received += body["samples"]
        return 202, {"accepted": len(body["samples"])}


async def paced(api: FlakyApi, n: int) -> AsyncIterator[tuple[int, int]]:
    for i in range(n):
        yield 1_795_000_000_000 + i * 1000, 100 + i % 30
        api.progress.set()
        await asyncio.sleep(0.01)
    api.finished = True
    api.progress.set()


def test_sending_never_blocks_the_loop_and_an_outage_only_buffers() -> None:
    api, now = FlakyApi(failures=2), [0.0]
    companion = Companion(api, token="tok", clock=lambda: now[0])
    lines: list[str] = []

    async def run() -> int:
        async def clock_goes_on() -> None:  # the companion's backoff clock: 1 s per 10 ms here
            while True:
                await asyncio.sleep(0.01)
                now[0] += 1

        ticking = asyncio.create_task(clock_goes_on())
        try:
            return await stream(companion, paced(api, 120), Status(out=lines.append, every_s=0), flush_every_s=0.05)
        finally:
            ticking.cancel()

    sent = asyncio.run(run())
    assert sent == 120 and len(api.received) == 120 and not companion.buffer  # nothing lost, nothing twice
    assert len(api.saw_progress) >= 3 and all(api.saw_progress)  # reading went on while requests were in flight
    assert any(line.startswith("Offline: buffering readings") for line in lines)
    assert any(line.startswith("Back online: sent the buffered readings") for line in lines)
    assert lines[0] == "Streaming 100 bpm (0 sent)." and lines[-1] == "Sent 120 samples."


def test_quiet_says_nothing() -> None:
    lines: list[str] = []
    companion = Companion(lambda *_: (202, {}), token="tok")

    async def two() -> AsyncIterator[tuple[int, int]]:
        for i in range(2):
            yield 1_795_000_000_000 + i * 1000, 99

    assert asyncio.run(stream(companion, two(), Status(quiet=True, out=lines.append))) == 2
    assert lines == []


def test_the_companion_imports_no_server_code() -> None:
    """It runs on the person's laptop with only the companion extra: no Flask, boto3, ask_sdk or engine."""
    code = ("import sys, skill.cli.companion, skill.companion.stream; "
            "print(' '.join(m for m in sys.modules if m.split('.')[0] in ('flask', 'boto3', 'ask_sdk_core') "
            "or m.startswith(('skill.engine', 'skill.web', 'skill.storage', 'skill.alexa'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert out.stdout.strip() == ""


@pytest.mark.parametrize("quiet", [False, True])
def test_backcoach_wearable_stream_says_what_it_does_unless_quiet(quiet: bool, tmp_path, monkeypatch, capsys) -> None:
    from skill.cli import companion as cli
    from skill.cli.main import main

    posted: list[dict[str, Any]] = []
    monkeypatch.setattr(cli, "http_transport", lambda url: lambda path, body, headers: (
        posted.append(body) or (202, {})))

    async def readings(work: int, rest: int) -> AsyncIterator[tuple[int, int]]:
        for i in range(3):
            yield 1_795_000_000_000 + i * 1000, 120
            await asyncio.sleep(0)

    monkeypatch.setattr(cli, "simulated_readings", readings)
    token = tmp_path / "token"
    token.write_text("tok")
    argv = ["wearable", "stream", "--source", "simulated", "--token-file", str(token)] + (["--quiet"] if quiet else [])
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert sum(len(body["samples"]) for body in posted) == 3
    assert out == "" if quiet else ("Streaming 120 bpm (0 sent)." in out and "Sent 3 samples." in out)


def test_a_revoked_token_says_to_pair_again(tmp_path, monkeypatch, capsys) -> None:
    from skill.cli import companion as cli
    from skill.cli.main import main

    monkeypatch.setattr(cli, "http_transport", lambda url: lambda path, body, headers: (401, {}))

    async def readings(work: int, rest: int) -> AsyncIterator[tuple[int, int]]:
        yield 1_795_000_000_000, 120

    monkeypatch.setattr(cli, "simulated_readings", readings)
    token = tmp_path / "token"
    token.write_text("revoked")
    assert main(["wearable", "stream", "--source", "simulated", "--token-file", str(token)]) == 1
    assert "pair again" in capsys.readouterr().out
