"""The companion: reads a heart-rate sensor (or a simulated heart), pairs with a code, and pushes samples.

Samples are buffered (bounded) while the sync API cannot be reached and sent again with backoff.
"""

from __future__ import annotations

import json
import logging
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import AsyncIterator, Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from skill.companion.hrm import HEART_RATE_MEASUREMENT, HEART_RATE_SERVICE, MalformedMeasurement, parse

log = logging.getLogger("backcoach.companion")

MAX_BUFFERED = 3600  # an hour of samples at one a second; older ones are dropped first
BATCH = 600
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

    def flush(self) -> bool:
        """Sends what is buffered; False when the API could not take it (it stays buffered for later)."""
        if not self.token or self.clock() < self._retry_at:
            return False  # not paired yet, or backing off: keep buffering
        while self.buffer:
            batch = [self.buffer[i] for i in range(min(BATCH, len(self.buffer)))]
            try:
                status, body = self.transport(
                    "/v1/heart-rate", {"samples": [open_mhealth(t, b) for t, b in batch]},
                    {"Authorization": f"Bearer {self.token}"},
                )
            except OSError as error:  # unreachable: keep everything, try again later
                status, body = 0, {"error": type(error).__name__}
            if status == 202:
                for _ in batch:
                    self.buffer.popleft()
                self.sent += len(batch)
                self.failures = 0
                continue
            if status in (400, 413):  # these samples will never be accepted: drop them, keep going
                log.warning("samples refused status=%d error=%s", status, body.get("error"))
                for _ in batch:
                    self.buffer.popleft()
                continue
            if status == 401:
                raise PermissionError("the token was revoked: pair again")
            self.failures += 1
            self._retry_at = self.clock() + min(60.0, 2.0 ** self.failures)
            log.warning("sync API unavailable status=%d; %d samples buffered", status, len(self.buffer))
            return False
        return True


async def ble_heart_rate(address: str | None = None, scan_seconds: float = 10.0) -> AsyncIterator[tuple[int, int]]:
    """Readings from any device broadcasting the Bluetooth Heart Rate Profile (watch apps, chest straps)."""
    import asyncio

    from bleak import BleakClient, BleakScanner

    if address is None:
        found = await BleakScanner.find_device_by_filter(
            lambda device, adv: HEART_RATE_SERVICE in [u.lower() for u in adv.service_uuids], timeout=scan_seconds
        )
        if found is None:
            raise RuntimeError("no heart-rate device found: is it broadcasting heart rate?")
        address = found.address
    queue: asyncio.Queue[tuple[int, int]] = asyncio.Queue()

    def on_measurement(_: Any, data: bytearray) -> None:
        try:
            reading = parse(bytes(data))
        except MalformedMeasurement as error:
            log.warning("ignored a malformed measurement: %s", error)
            return
        if reading.contact is not False and reading.bpm:
            queue.put_nowait((int(time.time() * 1000), reading.bpm))

    async with BleakClient(address) as client:
        await client.start_notify(HEART_RATE_MEASUREMENT, on_measurement)
        while True:
            yield await queue.get()
