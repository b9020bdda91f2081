"""Heart Rate Measurement (0x2A37) vectors built from the characteristic's definition."""

from __future__ import annotations

import pytest

from skill.companion.hrm import HeartRateMeasurement, MalformedMeasurement, parse


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (bytes([0x00, 72]), HeartRateMeasurement(72, None, None, ())),
        (bytes([0x01, 0xB4, 0x00]), HeartRateMeasurement(180, None, None, ())),  # 16-bit value
        (bytes([0x01, 0x2C, 0x01]), HeartRateMeasurement(300, None, None, ())),  # beyond 8 bits
        (bytes([0x06, 64]), HeartRateMeasurement(64, True, None, ())),  # contact supported, detected
        (bytes([0x04, 64]), HeartRateMeasurement(64, False, None, ())),  # supported, not detected
        (bytes([0x02, 64]), HeartRateMeasurement(64, None, None, ())),  # detected bit without support: unknown
        (bytes([0x08, 90, 0x10, 0x27]), HeartRateMeasurement(90, None, 10000, ())),  # energy expended, kJ
        (bytes([0x10, 60, 0x00, 0x04, 0x80, 0x03]), HeartRateMeasurement(60, None, None, (1.0, 0.875))),
        (bytes([0x1F, 0x96, 0x00, 0x2A, 0x00, 0x00, 0x02, 0x00, 0x02, 0x9A, 0x01]),
         HeartRateMeasurement(150, True, 42, (0.5, 0.5, 0.4003906))),
    ],
)
def test_measurements_parse_as_the_spec_says(data: bytes, expected: HeartRateMeasurement) -> None:
    got = parse(data)
    assert (got.bpm, got.contact, got.energy_kj) == (expected.bpm, expected.contact, expected.energy_kj)
    assert got.rr_intervals_s == pytest.approx(expected.rr_intervals_s, abs=1e-6)


@pytest.mark.parametrize("data", [
    b"", bytes([0x00]), bytes([0x01, 0xB4]), bytes([0x08, 90, 0x10]), bytes([0x10, 60, 0x00, 0x04, 0x80]),
    bytes([0x00, 72, 0x01]),
])
def test_malformed_packets_are_refused(data: bytes) -> None:
    with pytest.raises(MalformedMeasurement):
        parse(data)


def test_the_bluetooth_library_offers_what_the_companion_uses() -> None:
    import inspect

    from bleak import BleakClient, BleakScanner

    assert "filterfunc" in inspect.signature(BleakScanner.find_device_by_filter).parameters
    assert {"char_specifier", "callback"} <= set(inspect.signature(BleakClient.start_notify).parameters)
