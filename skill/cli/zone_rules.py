"""`python -m skill.cli.zone_rules`: writes skill/content/zone_rules.json, each zone's current rule from the
pinned tzdata package (see skill.engine.calendar: the zones of a machine without a time zone database)."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from skill.engine.calendar import ZONE_RULES_FILE

TARGET = Path(__file__).resolve().parents[1] / "content" / ZONE_RULES_FILE


def current_rules() -> dict[str, str]:
    """Zone name -> the POSIX TZ string at the end of its TZif file (the rule in force after its last change)."""
    zones = resources.files("tzdata").joinpath("zones").read_text(encoding="utf-8").split()
    rules = {}
    for zone in zones:
        data = resources.files("tzdata.zoneinfo").joinpath(zone).read_bytes()
        rules[zone] = data.rstrip(b"\n").rsplit(b"\n", 1)[-1].decode("ascii")
    return rules


def rules_text() -> str:
    return json.dumps(current_rules(), indent=0, sort_keys=True) + "\n"


def main() -> int:
    TARGET.write_text(rules_text(), encoding="utf-8")
    print(f"wrote {TARGET} ({len(current_rules())} zones)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
