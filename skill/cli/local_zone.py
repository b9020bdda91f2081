"""The time zone of `backcoach chat`: this machine's (an IANA name, from TZ, /etc/timezone or the /etc/localtime
link), or the one `--zone` names. It reaches the skill through the same path as the device's zone on Alexa
(`Zones`, cached in the person's record), only from here instead of Alexa's settings API; read once a session."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from skill.alexa.zones import Zones
from skill.engine.calendar import DEFAULT_ZONE, known_zone


def _name(text: str) -> str:
    """An IANA name from a zone name or a path into a zoneinfo directory ("" when it is neither)."""
    text = text.strip().lstrip(":")
    if "zoneinfo/" in text:
        text = text.split("zoneinfo/", 1)[1]
    return text if known_zone(text) else ""


def machine_zone() -> str:
    """This machine's time zone as an IANA name (`time.localtime().tm_zone` is only "PST"); UTC when unknown."""
    candidates = [os.environ.get("TZ", "")]
    for path in (Path("/etc/timezone"), Path("/etc/localtime")):
        try:
            candidates.append(path.read_text(encoding="utf-8") if path.name == "timezone" else str(path.resolve()))
        except (OSError, UnicodeDecodeError):
            continue
    return next((n for n in map(_name, candidates) if n), DEFAULT_ZONE)


def zone_argument(text: str) -> str:
    """argparse type of `--zone`."""
    if not known_zone(text):
        raise argparse.ArgumentTypeError(f"not a time zone this machine knows: {text!r} (try America/Los_Angeles)")
    return text


def chat_zones(zone: str) -> Zones:
    """Every session reads `zone` afresh (nothing to spare here), so `--zone` takes effect at once."""
    return Zones(lambda _endpoint, _token, _device: zone, max_age_ms=0)
