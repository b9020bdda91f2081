"""The person's calendar: every date, Monday-to-Sunday week and "days ago" the coach counts is taken in the
person's own time zone (an IANA name such as "America/Los_Angeles", handed in as data), so a workout at eight
in the evening in California counts on that day, not on tomorrow's in UTC. The one place the engine and the
Alexa layer turn epoch milliseconds into calendar days. Pure: the standard library's zoneinfo only.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

DEFAULT_ZONE = "UTC"  # when the person's zone is not known (yet)
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
WEEK = timedelta(days=7)


@lru_cache(maxsize=64)
def zone_info(zone: str) -> tzinfo:
    """The tzinfo of an IANA zone name; UTC for "" or a name this machine's time zone database does not know
    (which `known_zone` tells apart, for the layer that reads zones from outside)."""
    if not zone or zone == DEFAULT_ZONE:
        return UTC
    try:
        return ZoneInfo(zone)
    except (KeyError, ValueError, OSError):  # ZoneInfoNotFoundError is a KeyError; "/x" a ValueError
        return UTC


def known_zone(zone: object) -> bool:
    """Whether `zone` is an IANA name this machine can use (a relative key such as "Europe/Berlin" or "UTC")."""
    if not isinstance(zone, str) or not zone or len(zone) > 64 or zone.startswith(("/", ".")) or ".." in zone:
        return False
    return zone == DEFAULT_ZONE or zone_info(zone) is not UTC


def local_time(ms: int, zone: str) -> datetime:
    """The wall-clock time in `zone` of the instant `ms` (epoch milliseconds), zone-aware."""
    return datetime.fromtimestamp(ms / 1000, tz=zone_info(zone))


def local_date(ms: int, zone: str) -> date:
    """The person's calendar day of the instant `ms`."""
    return local_time(ms, zone).date()


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_of(ms: int, zone: str) -> date:
    """The Monday of the person's week that holds the instant `ms`."""
    return monday(local_date(ms, zone))


def day_start_ms(day: date, zone: str) -> int:
    """The instant `day` begins in `zone` (local midnight; where midnight is skipped, the first hour after)."""
    start = datetime(day.year, day.month, day.day, tzinfo=zone_info(zone))
    return int(start.timestamp() * 1000)


def week_start_ms(ms: int, zone: str) -> int:
    """Local midnight of the Monday of the person's week holding `ms`, as epoch milliseconds."""
    return day_start_ms(week_of(ms, zone), zone)


def days_between(then_ms: int, now_ms: int, zone: str) -> int:
    """Calendar days from `then_ms` to `now_ms` on the person's calendar (0: the same day, 1: yesterday)."""
    return (local_date(now_ms, zone) - local_date(then_ms, zone)).days


def utc_offset_seconds(ms: int, zone: str) -> int:
    """The zone's offset from UTC at the instant `ms`, in seconds (negative west of Greenwich)."""
    offset = local_time(ms, zone).utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0
