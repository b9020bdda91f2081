"""SSML as text a person can read in a terminal: short pauses as '…', long silences as '[12 s]'."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from skill.speech.timing import break_seconds

LONG_PAUSE_SECONDS = 3.0


def to_text(ssml: str) -> str:
    try:
        root = ET.fromstring(ssml)
    except ET.ParseError:
        return ssml
    pieces: list[str] = []
    pause = 0.0

    def flush() -> None:
        nonlocal pause
        if pause >= LONG_PAUSE_SECONDS:
            pieces.append(f" [{pause:.0f} s] ")
        elif pause >= 0.5:
            pieces.append(" … ")
        pause = 0.0

    def walk(element: ET.Element) -> None:
        nonlocal pause
        if element.tag == "break":
            pause += break_seconds(element.get("time", ""))
        elif element.text and element.text.strip():
            flush()
            pieces.append(element.text)
        for child in element:
            walk(child)
            if child.tail and child.tail.strip():
                flush()
                pieces.append(child.tail)
        if element is root:
            flush()

    walk(root)
    return " ".join("".join(pieces).split())
