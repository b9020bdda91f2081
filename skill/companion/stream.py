"""The companion: reads a heart-rate sensor (or a simulated heart), pairs with a code, and pushes samples.

Samples are buffered (bounded) while the sync API cannot be reached and sent again with backoff. Streaming runs
on one asyncio loop: the HTTP requests go to worker threads (the sensor's notifications keep coming while one
waits), and a sensor that drops out is reconnected with backoff.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from skill.companion.hrm import HEART_RATE_MEASUREMENT, HEART_RATE_SERVICE, MalformedMeasurement, parse

log = logging.getLogger("backcoach.companion")

MAX_BUFFERED = 3600  # an hour of samples at one a second; older ones are dropped first
BATCH = 600
STALE_S = 15.0  # no reading for this long: the sensor is gone, whether or not it said so
MAX_RECONNECT_S = 30.0
Transport = Callable[[str, dict[str, Any], dict[str, str]], tuple[int, dict[str, Any]]]


def http_transport(base_url: str, timeout: float = 5.0) -> Transport:
    def post(path: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, Any]]:
        request = urllib.request.Request(
            base_url.rstrip("/") + path, data=json.dumps(body).encode(), method="POST",
            headers={"Content-Type": "application/json", **headers},
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:
                return answer.status, json.loads(answer.read() or b"{}")
        except urllib.error.HTTPError as error:
            try:
                return error.code, json.loads(error.read() or b"{}")
            except ValueError:
                return error.code, {}

    return post


def open_mhealth(t_ms: int, bpm: int) -> dict[str, Any]:
    """One Open mHealth heart-rate-2.0 body."""
    when = datetime.fromtimestamp(t_ms / 1000, tz=UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    return {"heart_rate": {"value": bpm, "unit": "beats/min"}, "effective_time_frame": {"date_time": when}}


class Companion:
    """Buffers readings and sends them in batches; a batch the API could not take stays for the next flush."""

    def __init__(self, transport: Transport, token: str = "", clock: Callable[[], float] = time.monotonic) -> None:
        self.transport = transport
        self.token = token
        self.clock = clock
        self.buffer: deque[tuple[int, int]] = deque(maxlen=MAX_BUFFERED)
        self.sent = 0
        self.failures = 0
        self._retry_at = 0.0

    def pair(self, code: str, device: str = "Back Coach companion") -> str:
        status, body = self.transport("/v1/pair", {"code": code, "device": device}, {})
        if status != 201:
            raise PermissionError(body.get("error", f"pairing refused ({status})"))
        self.token = body["token"]
        return self.token

    def add(self, samples: Iterable[tuple[int, int]]) -> None:
        self.buffer.extend(samples)

    @property
    def offline(self) -> bool:
        """True after a flush the API could not take, until one succeeds."""
        return self.failures > 0

    def flush(self) -> bool:
        """Sends what is buffered; False when the API could not take it (it stays buffered for later)."""
        if not self._ready():
            return False
        while self.buffer:
            batch = self._next_batch()
            if not self._settle(batch, *self._send(batch)):
                return False
        return True

    async def flush_async(self) -> bool:
        """The same as flush, for an asyncio loop: each request runs in a worker thread, so readings keep
        arriving while the API answers (or times out)."""
        if not self._ready():
            return False
        while self.buffer:
            batch = self._next_batch()
            if not self._settle(batch, *await asyncio.to_thread(self._send, batch)):
                return False
        return True

    def _ready(self) -> bool:
        return bool(self.token) and self.clock() >= self._retry_at  # paired, and not backing off

    def _next_batch(self) -> list[tuple[int, int]]:
        return [self.buffer[i] for i in range(min(BATCH, len(self.buffer)))]

    def _send(self, batch: list[tuple[int, int]]) -> tuple[int, dict[str, Any]]:
        try:
            return self.transport("/v1/heart-rate", {"samples": [open_mhealth(t, b) for t, b in batch]},
                                  {"Authorization": f"Bearer {self.token}"})
        except OSError as error:  # unreachable: keep everything, try again later
            return 0, {"error": type(error).__name__}

    def _drop(self, batch: list[tuple[int, int]]) -> None:
        """Removes `batch` from the front of the buffer (readings the full buffer dropped meanwhile are gone)."""
        for sample in batch:
            if self.buffer and self.buffer[0] == sample:
                self.buffer.popleft()

    def _settle(self, batch: list[tuple[int, int]], status: int, body: dict[str, Any]) -> bool:
        """Acts on the API's answer to `batch`; False when the rest has to wait (backing off)."""
        if status == 202:
            self._drop(batch)
            self.sent += len(batch)
            self.failures = 0
            return True
        if status in (400, 413):  # these samples will never be accepted: drop them, keep going
            log.warning("samples refused status=%d error=%s", status, body.get("error"))
            self._drop(batch)
            return True
        if status == 401:
            raise PermissionError("the token was revoked: pair again")
        self.failures += 1
        self._retry_at = self.clock() + min(60.0, 2.0 ** self.failures)
        log.warning("sync API unavailable status=%d; %d samples buffered", status, len(self.buffer))
        return False


class Status:
    """What the companion tells the person in the terminal (nothing with --quiet): connected, streaming N bpm,
    buffering while offline, sent. Says each state once, and the streaming line at most every `every_s`."""

    def __init__(self, quiet: bool = False, out: Callable[[str], None] | None = None, every_s: float = 10.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.quiet = quiet
        self.out = out or (lambda line: print(line, flush=True))
        self.every_s = every_s
        self.clock = clock
        self._last_streaming = -float("inf")
        self._offline = False

    def say(self, line: str) -> None:
        if not self.quiet:
            self.out(line)

    def reading(self, bpm: int, sent: int) -> None:
        if self.clock() - self._last_streaming >= self.every_s:
            self._last_streaming = self.clock()
            self.say(f"Streaming {bpm} bpm ({sent} sent).")

    def flushed(self, companion: Companion, ok: bool) -> None:
        if not ok and not self._offline and companion.offline:
            self._offline = True
            self.say(f"Offline: buffering readings ({len(companion.buffer)} so far); retrying with backoff.")
        elif ok and self._offline:
            self._offline = False
            self.say(f"Back online: sent the buffered readings ({companion.sent} in all).")


async def stream(companion: Companion, readings: AsyncIterator[tuple[int, int]], status: Status,
                 deadline: float = float("inf"), flush_every_s: float = 5.0,
                 clock: Callable[[], float] = time.monotonic) -> int:
    """Adds each reading to the buffer and flushes every `flush_every_s` in the background, until `deadline` or
    the end of `readings`; then sends what is left. Returns how many samples were sent."""
    done = asyncio.Event()

    async def flusher() -> None:
        while not done.is_set():
            try:
                await asyncio.wait_for(done.wait(), flush_every_s)
            except TimeoutError:
                status.flushed(companion, await companion.flush_async())

    task = asyncio.create_task(flusher())
    try:
        async for sample in readings:
            companion.add([sample])
            status.reading(sample[1], companion.sent)
            if clock() >= deadline:
                break
    finally:
        done.set()
        await task
        with contextlib.suppress(AttributeError):
            await readings.aclose()  # type: ignore[attr-defined]  # a sensor is let go at once
        if companion.buffer:
            status.flushed(companion, await companion.flush_async())
    status.say(f"Sent {companion.sent} samples.")
    return companion.sent


async def ble_heart_rate(
    address: str | None = None, scan_seconds: float = 10.0, status: Status | None = None,
    connect: Callable[[str, Callable[[Any], None]], Any] | None = None,
    find: Callable[[float], Awaitable[str | None]] | None = None,
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep, stale_s: float = STALE_S,
) -> AsyncIterator[tuple[int, int]]:
    """Readings from any device broadcasting the Bluetooth Heart Rate Profile (watch apps, chest straps), for as
    long as the caller reads: when the sensor drops out (bleak's disconnected callback, or no reading for
    `stale_s`), it reconnects with backoff (1 s, 2, 4 … at most 30 s). `connect` and `find` stand in for bleak in
    tests: connect(address, on_disconnect) gives a client with async connect/start_notify/disconnect."""
    status = status or Status(quiet=True)
    connect = connect or _bleak_client
    find = find or _bleak_find
    failures = 0
    loop = asyncio.get_running_loop()
    while True:
        queue: asyncio.Queue[tuple[int, int] | None] = asyncio.Queue()

        def on_measurement(_: Any, data: bytearray, queue: asyncio.Queue[tuple[int, int] | None] = queue) -> None:
            try:
                reading = parse(bytes(data))
            except MalformedMeasurement as error:
                log.warning("ignored a malformed measurement: %s", error)
                return
            if reading.contact is not False and reading.bpm:
                queue.put_nowait((int(time.time() * 1000), reading.bpm))

        def on_disconnect(_: Any, queue: asyncio.Queue[tuple[int, int] | None] = queue) -> None:
            loop.call_soon_threadsafe(queue.put_nowait, None)

        client = None
        try:
            found = address or await find(scan_seconds)
            if found is None:
                raise LookupError("no heart-rate device found: is it broadcasting heart rate?")
            client = connect(found, on_disconnect)
            await client.connect()
            await client.start_notify(HEART_RATE_MEASUREMENT, on_measurement)
            status.say(f"Connected to {found}.")
            failures = 0
            while (reading := await asyncio.wait_for(queue.get(), stale_s)) is not None:
                yield reading
            status.say("The sensor disconnected.")
        except Exception as error:  # noqa: BLE001 - the radio stack fails in many ways; each one means: try again
            status.say(f"No heart-rate sensor ({type(error).__name__}: {error})." if not isinstance(
                error, TimeoutError) else f"No reading for {stale_s:.0f} s.")
        finally:
            if client is not None:
                with contextlib.suppress(Exception):
                    await client.disconnect()
        wait = min(MAX_RECONNECT_S, 2.0 ** failures)
        failures += 1
        status.say(f"Reconnecting in {wait:.0f} s…")
        await sleep(wait)


def _bleak_client(address: str, on_disconnect: Callable[[Any], None]) -> Any:
    from bleak import BleakClient

    return BleakClient(address, disconnected_callback=on_disconnect)


async def _bleak_find(scan_seconds: float) -> str | None:
    from bleak import BleakScanner

    found = await BleakScanner.find_device_by_filter(
        lambda device, adv: HEART_RATE_SERVICE in [u.lower() for u in adv.service_uuids], timeout=scan_seconds
    )
    return found.address if found is not None else None
