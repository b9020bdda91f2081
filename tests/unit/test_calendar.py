"""The person's calendar (issue 19): days, Monday-to-Sunday weeks and "days ago" in their own time zone, across
daylight-saving changes; the record's zone, the reminder's local start, the screen's week, and the zone of
`backcoach chat`."""

from __future__ import annotations

import argparse
import io
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pytest

from skill.alexa import screens
from skill.alexa.reminders_api import reminder_body
from skill.cli import local_zone, zone_rules
from skill.engine import calendar
from skill.engine.calendar import (
    days_between,
    known_zone,
    local_date,
    utc_offset_seconds,
    week_of,
    week_start_ms,
)
from skill.engine.record import FINISHED, HistoryEntry, PersonRecord, ZoneSeen
from skill.speech import prompts

LA = "America/Los_Angeles"


def ms(year: int, month: int, day: int, hour: int, minute: int = 0, zone: str = LA) -> int:
    return int(datetime(year, month, day, hour, minute, tzinfo=ZoneInfo(zone)).timestamp() * 1000)


SUNDAY_NIGHT = ms(2026, 11, 22, 23, 30)  # 07:30 on Monday in UTC


def test_a_late_evening_is_that_day_where_the_person_is() -> None:
    assert local_date(SUNDAY_NIGHT, LA).isoformat() == "2026-11-22"
    assert local_date(SUNDAY_NIGHT, "UTC").isoformat() == "2026-11-23"
    assert week_of(SUNDAY_NIGHT, LA).isoformat() == "2026-11-16"
    assert week_of(SUNDAY_NIGHT, "UTC").isoformat() == "2026-11-23"
    assert week_start_ms(SUNDAY_NIGHT, LA) == ms(2026, 11, 16, 0)
    assert days_between(SUNDAY_NIGHT, ms(2026, 11, 23, 8), LA) == 1
    assert days_between(SUNDAY_NIGHT, ms(2026, 11, 23, 8), "UTC") == 0


def test_weeks_and_days_across_daylight_saving_changes() -> None:
    # Los Angeles springs forward on Sunday 8 March 2026: that week's Monday began in standard time.
    assert week_start_ms(ms(2026, 3, 8, 23), LA) == ms(2026, 3, 2, 0)
    assert week_start_ms(ms(2026, 3, 9, 0, 30), LA) == ms(2026, 3, 9, 0)
    assert days_between(ms(2026, 3, 7, 23), ms(2026, 3, 9, 0, 30), LA) == 2  # a 24-hour-and-a-half span, two days
    assert utc_offset_seconds(ms(2026, 1, 5, 12), LA) == -8 * 3600
    assert utc_offset_seconds(ms(2026, 7, 5, 12), LA) == -7 * 3600
    assert utc_offset_seconds(ms(2026, 7, 5, 12), "Asia/Kolkata") == 19800


@pytest.mark.parametrize(("zone", "known"), [(LA, True), ("UTC", True), ("Europe/Berlin", True), ("", False),
                                              ("Mars/Olympus", False), ("/etc/localtime", False),
                                              ("../etc/passwd", False), ("America", False), (7, False)])
def test_only_zones_this_machine_knows_are_taken(zone: object, known: bool) -> None:
    assert known_zone(zone) is known


def test_the_record_keeps_its_zone_and_forgets_one_it_cannot_use() -> None:
    record = PersonRecord(zone=ZoneSeen(LA, "abc123", 5))
    again, dropped = PersonRecord.from_dict({**record.to_dict(), "version": 1}, None)  # type: ignore[arg-type]
    assert again.zone == record.zone and again.local_zone == LA and not dropped
    data = {**record.to_dict(), "zone": {"name": "Mars/Olympus", "device": "abc123", "read_at_ms": 5}}
    again, dropped = PersonRecord.from_dict(data, None)  # type: ignore[arg-type]
    assert again.zone == ZoneSeen() and again.local_zone == "UTC" and not dropped  # a cache: read again
    assert "zone" not in PersonRecord().to_dict()


def test_a_reminder_starts_on_the_persons_clock_and_names_their_zone() -> None:
    body = reminder_body("weekdays", 7 * 60, "Time for your back workout.", "en-US", SUNDAY_NIGHT, LA)
    assert body["trigger"]["recurrence"]["startDateTime"] == "2026-11-22T23:30:00.000"
    assert body["trigger"]["timeZoneId"] == LA
    unknown = reminder_body("weekdays", 7 * 60, "Time for your back workout.", "en-US", SUNDAY_NIGHT)
    assert "timeZoneId" not in unknown["trigger"]  # Alexa then uses the device's own


def test_the_screen_week_is_the_persons_week() -> None:
    done = HistoryEntry("six_minute", SUNDAY_NIGHT - 600_000, SUNDAY_NIGHT, "2026-11-23", 16, status=FINISHED)
    week = screens.week(prompts, [done], SUNDAY_NIGHT + 60_000, 5, LA)
    assert week["days"][-1]["state"] == "done" and week["days"][-1]["today"]  # Sunday
    assert screens.week(prompts, [done], SUNDAY_NIGHT + 60_000, 5)["days"][0]["state"] == "done"  # in UTC: Monday


def test_the_chat_uses_this_machines_zone_or_the_one_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", ":/usr/share/zoneinfo/Europe/Berlin")
    assert local_zone.machine_zone() == "Europe/Berlin"
    monkeypatch.setenv("TZ", LA)
    assert local_zone.machine_zone() == LA
    assert local_zone.zone_argument(LA) == LA
    with pytest.raises(argparse.ArgumentTypeError):
        local_zone.zone_argument("PST")  # an abbreviation, not an IANA name
    zones = local_zone.chat_zones(LA)
    assert zones.source("", "", "local-echo") == LA and zones.max_age_ms == 0


class NoTimeZoneDatabase(ZoneInfo):
    """ZoneInfo as on Lambda's Amazon Linux 2023 runtimes: no /usr/share/zoneinfo, no tzdata package."""

    def __new__(cls, key: str) -> ZoneInfo:  # type: ignore[misc]
        raise ZoneInfoNotFoundError(f"No time zone found with key {key}")


@pytest.fixture
def no_zone_database(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(calendar, "ZoneInfo", NoTimeZoneDatabase)
    calendar.zone_info.cache_clear()
    yield
    calendar.zone_info.cache_clear()


@pytest.mark.parametrize("zone", [LA, "Europe/Berlin", "Asia/Kolkata", "Australia/Sydney", "Pacific/Chatham",
                                  "America/Vancouver", "America/Havana", "Africa/Casablanca"])  # changes to come
def test_without_a_zone_database_the_shipped_rules_give_each_zones_local_time(no_zone_database, zone: str) -> None:
    real = ZoneInfo.from_file(io.BytesIO(resources.files("tzdata.zoneinfo").joinpath(zone).read_bytes()), key=zone)
    assert calendar.known_zone(zone)
    for instant in (datetime(2026, 1, 15, 12, tzinfo=UTC), datetime(2026, 7, 15, 12, tzinfo=UTC),
                    datetime(2026, 11, 22, 23, 30, tzinfo=real),  # winter, summer, and the Sunday night
                    datetime(2027, 3, 1, 12, tzinfo=UTC), datetime(2028, 8, 1, 12, tzinfo=UTC)):
        ms = int(instant.timestamp() * 1000)
        assert calendar.utc_offset_seconds(ms, zone) == int(instant.astimezone(real).utcoffset().total_seconds())
        assert calendar.local_date(ms, zone) == instant.astimezone(real).date()


def test_without_a_zone_database_a_sunday_night_in_los_angeles_is_still_sunday(no_zone_database) -> None:
    assert calendar.local_date(SUNDAY_NIGHT, LA).isoformat() == "2026-11-22"
    assert not calendar.known_zone("Mars/Olympus_Mons") and calendar.zone_info("Mars/Olympus_Mons") is UTC


def test_the_shipped_zone_rules_are_the_pinned_tzdatas() -> None:
    shipped = (Path(calendar.__file__).parents[1] / "content" / calendar.ZONE_RULES_FILE).read_text(encoding="utf-8")
    assert shipped == zone_rules.rules_text(), "run: python -m skill.cli.zone_rules"
    assert calendar.zone_rules()[LA] == "PST8PDT,M3.2.0,M11.1.0"
