"""Where a person's time zone comes from on Alexa: the device's settings (Alexa's settings API, read through the
request's apiEndpoint), at most once a session and cached in the record by the turn (skill.turn.zones)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from skill.turn.request import ZoneSource

MAX_AGE_MS = 24 * 3600 * 1000  # a zone read is trusted for a day (people travel; the Alexa app can change it)
DeviceZone = Callable[[str, str, str], str]  # (apiEndpoint, apiAccessToken, deviceId) -> IANA zone, or raises


def settings_api(endpoint: str, token: str, device_id: str) -> str:
    """The deployed source: Alexa's settings API (imported on the first read)."""
    from skill.alexa.settings_api import device_time_zone

    return device_time_zone(endpoint, token, device_id)


def device_hash(device: str) -> str:
    """A short one-way hash of a device id: what the record keeps (never the id itself)."""
    return hashlib.sha256(device.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class Zones:
    """`source`: where zones come from (Alexa's settings API; `backcoach chat` passes the machine's zone);
    `max_age_ms`: how long a zone read is trusted."""

    source: DeviceZone = settings_api
    max_age_ms: int = MAX_AGE_MS

    def reader(self, endpoint: str, token: str, device_id: str) -> ZoneSource:
        return lambda: self.source(endpoint, token, device_id)
