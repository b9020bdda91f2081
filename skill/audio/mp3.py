"""Reads MPEG audio frame headers: enough to know an MP3's bit rate, sample rate, channels and exact duration
without an audio library (the skill needs durations at run time; tests check them against mutagen)."""

from __future__ import annotations

from dataclasses import dataclass

# Bit rates (kbps) by index, for MPEG-1 layer III and for MPEG-2/2.5 layer III.
_BITRATES = {
    1: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_SAMPLE_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}  # by version bits


@dataclass(frozen=True)
class Mp3Info:
    frames: int
    bitrate_kbps: int  # of the first audio frame (the files made here are constant bit rate)
    sample_rate: int
    channels: int
    duration_ms: int
    version: int  # 1 for MPEG-1, 2 for MPEG-2 (and 2.5)


def _skip_id3(data: bytes) -> int:
    if data[:3] == b"ID3" and len(data) >= 10:
        size = (data[6] << 21) | (data[7] << 14) | (data[8] << 7) | data[9]
        return 10 + size
    return 0


def read_mp3(data: bytes) -> Mp3Info:
    """Walks every layer III frame of `data`; raises ValueError when it holds none."""
    pos = _skip_id3(data)
    frames = samples = 0
    first: tuple[int, int, int, int] | None = None
    while pos + 4 <= len(data):
        b1, b2, b3 = data[pos + 1], data[pos + 2], data[pos + 3]
        if data[pos] != 0xFF or (b1 & 0xE0) != 0xE0:
            pos += 1
            continue
        version_bits, layer_bits = (b1 >> 3) & 3, (b1 >> 1) & 3
        bitrate_index, rate_index = b2 >> 4, (b2 >> 2) & 3
        if version_bits == 1 or layer_bits != 1 or bitrate_index in (0, 15) or rate_index == 3:
            pos += 1
            continue
        version = 1 if version_bits == 3 else 2
        bitrate = _BITRATES[version][bitrate_index] * 1000
        rate = _SAMPLE_RATES[version_bits][rate_index]
        per_frame = 1152 if version == 1 else 576
        length = (per_frame // 8) * bitrate // rate + ((b2 >> 1) & 1)
        if length <= 4 or pos + length > len(data):
            break
        channels = 1 if (b3 >> 6) == 3 else 2
        if first is None:
            first = (bitrate // 1000, rate, channels, version)
        # A Xing/Info frame (lame's header) carries no audio.
        side = (17 if channels == 1 else 32) if version == 1 else (9 if channels == 1 else 17)
        tag = data[pos + 4 + side: pos + 8 + side]
        if frames == 0 and samples == 0 and tag in (b"Xing", b"Info"):
            pos += length
            continue
        frames += 1
        samples += per_frame
        pos += length
    if first is None or frames == 0:
        raise ValueError("no MPEG layer III frames")
    return Mp3Info(frames, first[0], first[1], first[2], round(samples * 1000 / first[1]), first[3])
