"""`python -m skill.cli.zone_rules`: writes skill/content/zone_rules.json, each zone's current rule from the
pinned tzdata package (see skill.engine.calendar: the zones of a machine without a time zone database).

Most zones are their POSIX TZ rule alone. A zone whose rule is not yet in force everywhere in the checked years
(a change the database already lists for a future date) ships its whole TZif file instead, base64-encoded."""

from __future__ import annotations

import base64
import io
import json
import struct
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo

from skill.engine.calendar import TZIF_PREFIX, ZONE_RULES_FILE, tzif

TARGET = Path(__file__).resolve().parents[1] / "content" / ZONE_RULES_FILE
# The dates the coach counts: recent weeks and the years ahead. Checked twice a day (a rule's periods last months).
CHECKED_FROM, CHECKED_UNTIL, STEP = datetime(2025, 1, 1, tzinfo=UTC), datetime(2040, 1, 1, tzinfo=UTC), 12


def current_rules() -> dict[str, str]:
    """Zone name -> the POSIX TZ string at the end of its TZif file (the rule in force after its last change),
    or TZIF_PREFIX and the whole file where that rule alone would give another offset in the checked years."""
    zones = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8").split()
    instants = [CHECKED_FROM + timedelta(hours=h) for h in
                range(0, int((CHECKED_UNTIL - CHECKED_FROM).total_seconds() // 3600), STEP)]
    rules = {}
    for zone in zones:
        data = resources.files("tzdata.zoneinfo").joinpath(zone).read_bytes()
        rule = data.rstrip(b"\n").rsplit(b"\n", 1)[-1].decode("ascii")
        real, ruled = ZoneInfo.from_file(io.BytesIO(data), key=zone), ZoneInfo.from_file(io.BytesIO(tzif(rule)))
        if all(t.astimezone(real).utcoffset() == t.astimezone(ruled).utcoffset() for t in instants):
            rules[zone] = rule
        else:
            rules[zone] = TZIF_PREFIX + base64.b64encode(recent_part(data)).decode("ascii")
    return rules


def recent_part(data: bytes) -> bytes:
    """A TZif file cut to what the checked years need: no version-1 block (readers of version 2 skip it) and
    no transitions before the one in force at CHECKED_FROM (earlier offsets are never asked for)."""
    counts = struct.unpack(">6l", data[20:44])
    v1 = 44 + counts[3] * 5 + counts[4] * 6 + counts[5] + counts[2] * 8 + counts[1] + counts[0]
    isut, isstd, leap, times, types, chars = struct.unpack(">6l", data[v1 + 20:v1 + 44])
    at = v1 + 44
    moments = struct.unpack(f">{times}q", data[at:at + 8 * times])
    kinds = data[at + 8 * times:at + 9 * times]
    rest = data[at + 9 * times:]  # local time types, their names, leap seconds, std/ut flags, then the footer
    later = [i for i, moment in enumerate(moments) if moment >= CHECKED_FROM.timestamp()]
    keep = list(range(max(0, (later[0] if later else times) - 1), times))  # and the one in force at CHECKED_FROM
    header = data[v1:v1 + 20] + struct.pack(">6l", isut, isstd, leap, len(keep), types, chars)
    body = struct.pack(f">{len(keep)}q", *(moments[i] for i in keep)) + bytes(kinds[i] for i in keep)
    return tzif("UTC0")[:44 + 6 + 4] + header + body + rest


def rules_text() -> str:
    return json.dumps(current_rules(), indent=0, sort_keys=True) + "\n"


def main() -> int:
    rules = current_rules()
    TARGET.write_text(json.dumps(rules, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    whole = sorted(zone for zone, rule in rules.items() if rule.startswith(TZIF_PREFIX))
    print(f"wrote {TARGET} ({len(rules)} zones; whole files for {', '.join(whole) or 'none'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
