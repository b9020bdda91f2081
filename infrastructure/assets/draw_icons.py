"""Draws the skill's store icons (108×108 and 512×512 PNG, as the Alexa skill manifest requires): a stylised
upper back seen from behind, shoulder blades and spine cut out, on a solid colour.

Pure Python (zlib + struct), so it runs anywhere the project does and the same code always gives the same bytes:
`python infrastructure/assets/draw_icons.py` rewrites images/; a test checks the committed files are its output.
"""

from __future__ import annotations

import struct
import sys
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path

IMAGES = Path(__file__).resolve().parent / "images"
SIZES = {"smallIcon.png": 108, "largeIcon.png": 512}  # the manifest's smallIconUri and largeIconUri
SUPERSAMPLE = 4  # samples per pixel along each axis: smooth edges at 108 px

Colour = tuple[int, int, int]
BACKGROUND: Colour = (22, 96, 122)  # deep teal
FIGURE: Colour = (246, 241, 231)  # warm white
Point = tuple[float, float]

# The figure in unit coordinates (0..1, y downwards), so both sizes are the same drawing.
HEAD = ((0.5, 0.2), 0.105)
NECK = ((0.445, 0.27), (0.555, 0.4))
_RIGHT_SIDE = ((0.7, 0.37), (0.78, 0.395), (0.84, 0.435), (0.87, 0.49), (0.875, 0.56), (0.67, 0.93))
TORSO: Sequence[Point] = (*_RIGHT_SIDE, *((1 - x, y) for x, y in reversed(_RIGHT_SIDE)))
LEFT_BLADE: Sequence[Point] = ((0.27, 0.475), (0.45, 0.455), (0.42, 0.71))
RIGHT_BLADE: Sequence[Point] = tuple((1 - x, y) for x, y in LEFT_BLADE)
SPINE = ((0.489, 0.42), (0.511, 0.9))


def _in_circle(x: float, y: float, circle: tuple[Point, float]) -> bool:
    (cx, cy), r = circle
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def _in_rect(x: float, y: float, rect: tuple[Point, Point]) -> bool:
    (x0, y0), (x1, y1) = rect
    return x0 <= x <= x1 and y0 <= y <= y1


def _in_polygon(x: float, y: float, polygon: Sequence[Point]) -> bool:
    inside = False
    for (x0, y0), (x1, y1) in zip(polygon, (*polygon[1:], polygon[0]), strict=True):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def is_figure(x: float, y: float) -> bool:
    """Whether the unit point (x, y) is on the light figure (head, neck, back) and not in a cut-out."""
    if _in_circle(x, y, HEAD) or _in_rect(x, y, NECK):
        return True
    if not _in_polygon(x, y, TORSO):
        return False
    return not (_in_polygon(x, y, LEFT_BLADE) or _in_polygon(x, y, RIGHT_BLADE) or _in_rect(x, y, SPINE))


def render(size: int, shape: Callable[[float, float], bool] = is_figure) -> list[bytes]:
    """RGB rows of the icon at `size` pixels. A pixel whose corners and centre agree is flat; any other is the
    average of SUPERSAMPLE² samples (every feature is wider than a pixel, so no edge is missed)."""
    n = SUPERSAMPLE
    offsets = [(i + 0.5) / n for i in range(n)]
    corners = [[shape(x / size, y / size) for x in range(size + 1)] for y in range(size + 1)]
    rows = []
    for py in range(size):
        row = bytearray()
        ys = [(py + o) / size for o in offsets]
        for px in range(size):
            seen = {corners[py][px], corners[py][px + 1], corners[py + 1][px], corners[py + 1][px + 1],
                    shape((px + 0.5) / size, (py + 0.5) / size)}
            if len(seen) == 1:
                covered = float(seen.pop())
            else:
                covered = sum(shape((px + o) / size, y) for y in ys for o in offsets) / (n * n)
            row += bytes(round(b + (f - b) * covered) for b, f in zip(BACKGROUND, FIGURE, strict=True))
        rows.append(bytes(row))
    return rows


def png(rows: list[bytes]) -> bytes:
    """An 8-bit RGB PNG of the rows (no filter, zlib level 9, no timestamp: equal rows give equal bytes)."""
    height, width = len(rows), len(rows[0]) // 3

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8 bits, truecolour, no interlace
    raw = b"".join(b"\x00" + row for row in rows)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def icons() -> dict[str, bytes]:
    return {name: png(render(size)) for name, size in SIZES.items()}


def main(target: Path = IMAGES) -> int:
    target.mkdir(parents=True, exist_ok=True)
    for name, data in icons().items():
        (target / name).write_bytes(data)
        print(f"wrote {target / name} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1]) if len(sys.argv) > 1 else IMAGES))
