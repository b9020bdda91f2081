"""The Bluetooth Heart Rate Measurement characteristic (0x2A37) of the Heart Rate Profile (service 0x180D).

Flags byte: bit 0 value format (0: uint8, 1: uint16), bits 1-2 sensor contact status (bit 2 = supported,
bit 1 = detected), bit 3 energy expended present (uint16, kJ), bit 4 RR intervals present (uint16 each, 1/1024 s).
All multi-byte fields are little-endian.
"""

from __future__ import annotations

from dataclasses import dataclass

HEART_RATE_SERVICE = "0000180d-0000-1000-8000-00805f9b34fb"
HEART_RATE_MEASUREMENT = "00002a37-0000-1000-8000-00805f9b34fb"


class MalformedMeasurement(ValueError):
    pass


@dataclass(frozen=True)
class HeartRateMeasurement:
    bpm: int
    contact: bool | None  # None when the sensor does not report contact
    energy_kj: int | None
    rr_intervals_s: tuple[float, ...]


def parse(data: bytes) -> HeartRateMeasurement:
    if len(data) < 2:
        raise MalformedMeasurement("too short")
    flags = data[0]
    offset = 1
    if flags & 0x01:
        if len(data) < 3:
            raise MalformedMeasurement("16-bit value flagged but missing")
        bpm = int.from_bytes(data[1:3], "little")
        offset = 3
    else:
        bpm = data[1]
        offset = 2
    contact = bool(flags & 0x02) if flags & 0x04 else None
    energy = None
    if flags & 0x08:
        if len(data) < offset + 2:
            raise MalformedMeasurement("energy expended flagged but missing")
        energy = int.from_bytes(data[offset:offset + 2], "little")
        offset += 2
    rr: list[float] = []
    if flags & 0x10:
        rest = data[offset:]
        if len(rest) % 2:
            raise MalformedMeasurement("RR intervals must be whole 16-bit values")
        rr = [int.from_bytes(rest[i:i + 2], "little") / 1024 for i in range(0, len(rest), 2)]
    elif len(data) > offset:
        raise MalformedMeasurement("unexpected trailing bytes")
    return HeartRateMeasurement(bpm, contact, energy, tuple(rr))
