"""`backcoach serve`'s WSGI server: waitress, with the limits a public endpoint needs.

Waitress's defaults suit an app behind a buffering proxy, not one that the internet can reach: it reads a body
of up to 1 GiB (spooling it to disk) before the app can refuse it, keeps an idle connection for 120 s, and stops
accepting at 100 connections, so a hundred idle or slow clients took the skill offline. Waitress parses requests
asynchronously, so a slow client costs a connection, not a worker thread: the limits below bound what slow
clients can hold; the reverse proxy in front (README, "Hosting the skill yourself") bounds how slowly a header or
body may arrive, which waitress cannot.
"""

from __future__ import annotations

from typing import Any

from skill.heartrate.service import MAX_BODY_BYTES as SYNC_MAX_BODY_BYTES
from skill.web.app import MAX_BODY_BYTES as SKILL_MAX_BODY_BYTES

MAX_REQUEST_BODY_BYTES = max(SKILL_MAX_BODY_BYTES, SYNC_MAX_BODY_BYTES)  # larger: refused before it is read
MAX_REQUEST_HEADER_BYTES = 32 * 1024  # Alexa's headers (signature, certificate URL) are under 2 KB
MAX_CONNECTIONS = 500  # within the usual 1,024 open files; poll(), not select(), so more than 1,024 would work
CHANNEL_TIMEOUT_S = 10  # an idle connection is closed after this (Alexa sends the whole request at once)
CLEANUP_INTERVAL_S = 2  # how often idle connections are looked for


def server_options(threads: int) -> dict[str, Any]:
    """Waitress's settings for `backcoach serve`. X-Forwarded-For is left for the app to believe or not
    (BACKCOACH_TRUSTED_PROXIES), rather than cleared by waitress."""
    return {
        "threads": threads,
        "ident": "backcoach",
        "max_request_body_size": MAX_REQUEST_BODY_BYTES,
        "max_request_header_size": MAX_REQUEST_HEADER_BYTES,
        "connection_limit": MAX_CONNECTIONS,
        "channel_timeout": CHANNEL_TIMEOUT_S,
        "cleanup_interval": CLEANUP_INTERVAL_S,
        "asyncore_use_poll": True,
        "clear_untrusted_proxy_headers": False,
    }


def serve(app: Any, host: str, port: int, threads: int) -> None:
    """Serves `app` until the process is stopped."""
    import waitress

    waitress.serve(app, host=host, port=port, **server_options(threads))
