"""Alexa's device settings API, for the device's time zone: GET {apiEndpoint}/v2/devices/{deviceId}/settings/
System.timeZone with the request's apiAccessToken answers a JSON string such as "America/Los_Angeles". No
permission is needed for it. Standard library only, imported on the first read so a cold start pays nothing for
it, with a short timeout: the whole response must be back within about eight seconds, and the coach can count
the day without it (on the last zone known).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

from skill.engine.calendar import known_zone
from skill.turn.request import ZoneUnknown

TIMEOUT_S = 1.0


class ZoneError(ZoneUnknown):
    """The zone could not be read; the message says why, without ids (it is logged)."""


def device_time_zone(endpoint: str, token: str, device_id: str) -> str:
    """The device's time zone (an IANA name this machine knows), or ZoneError."""
    if not endpoint or not token or not device_id:
        raise ZoneError("no api endpoint, token or device in the request")
    url = f"{endpoint.rstrip('/')}/v2/devices/{urllib.parse.quote(device_id, safe='')}/settings/System.timeZone"
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            raw = response.read(256)
    except urllib.error.HTTPError as e:  # 204: no zone set; 401/403: token; 5xx: the service
        raise ZoneError(f"status {e.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as e:
        raise ZoneError(f"unreachable ({type(e).__name__})") from None
    try:
        zone = json.loads(raw) if raw else None
    except ValueError:
        raise ZoneError("not JSON") from None
    if not known_zone(zone):
        raise ZoneError("no known zone in the answer")
    return str(zone)
