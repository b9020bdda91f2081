"""Environment variable names and the settings read from them, once, at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

ENV_DB = "BACKCOACH_DB"  # path of the embedded SQLite store (local runs)
ENV_TABLE = "BACKCOACH_TABLE"  # DynamoDB table name (deployed); storage is DynamoDB when it is set
ENV_SAMPLES_TABLE = "BACKCOACH_SAMPLES_TABLE"  # DynamoDB table of heart-rate samples (deployed)
ENV_SKILL_ID = "BACKCOACH_SKILL_ID"  # the Alexa skill id requests must carry
ENV_LOG_LEVEL = "BACKCOACH_LOG_LEVEL"
ENV_FUNCTION_ARN = "BACKCOACH_FUNCTION_ARN"  # `backcoach build`: the skill function for the manifest
ENV_STRAVA_TOKEN = "BACKCOACH_STRAVA_TOKEN"  # `backcoach upload`: a Strava access token (scope activity:write)
ENV_FITBIT_TOKEN = "BACKCOACH_FITBIT_TOKEN"  # `backcoach upload`: a Fitbit access token (scope activity)
ENV_UPLOAD_SERVICE = "BACKCOACH_UPLOAD_SERVICE"  # deployed: the service of the skill's account linking
ENV_HOST = "BACKCOACH_HOST"  # where `backcoach serve` listens
ENV_PORT = "BACKCOACH_PORT"
# `backcoach serve`: how many reverse proxies in front of it append to X-Forwarded-For (Caddy or nginx: 1). The
# pairing rate limit is per client address; 0 (the default) believes no header, so behind an undeclared proxy
# every client has the proxy's address.
ENV_TRUSTED_PROXIES = "BACKCOACH_TRUSTED_PROXIES"
ENV_STATE_HOME = "XDG_STATE_HOME"

# The services a finished workout can be uploaded to (the skill's account linking names one of them).
STRAVA, FITBIT = "strava", "fitbit"
SERVICES = (STRAVA, FITBIT)


@dataclass(frozen=True)
class Settings:
    db_path: Path
    table: str
    samples_table: str
    skill_id: str
    upload_service: str
    log_level: str
    host: str
    port: int
    trusted_proxies: int = 0


def default_db_path() -> Path:
    """The local store; logs, uploads and heart rate sit in a file beside it (see skill.storage.stores)."""
    state_home = os.environ.get(ENV_STATE_HOME) or str(Path.home() / ".local" / "state")
    return Path(state_home) / "backcoach" / "backcoach.sqlite3"


def load_settings() -> Settings:
    return Settings(
        db_path=Path(os.environ[ENV_DB]) if os.environ.get(ENV_DB) else default_db_path(),
        table=os.environ.get(ENV_TABLE, ""),
        samples_table=os.environ.get(ENV_SAMPLES_TABLE, ""),
        skill_id=os.environ.get(ENV_SKILL_ID, ""),
        upload_service=os.environ.get(ENV_UPLOAD_SERVICE, "").strip().lower(),
        log_level=os.environ.get(ENV_LOG_LEVEL, "WARNING"),
        host=os.environ.get(ENV_HOST, "127.0.0.1"),
        port=int(os.environ.get(ENV_PORT, "8080")),
        trusted_proxies=_trusted_proxies(os.environ.get(ENV_TRUSTED_PROXIES, "")),
    )


def _trusted_proxies(text: str) -> int:
    if not text.strip():
        return 0
    if not text.strip().isdecimal() or int(text) > 10:
        raise ValueError(f"{ENV_TRUSTED_PROXIES} must be the number of reverse proxies in front (0 to 10), "
                         f"not {text!r}")
    return int(text)


def upload_service_problem(settings: Settings) -> str:
    """Why the configured upload service cannot be used ("" when it can, or when uploads are off)."""
    if settings.upload_service in ("", *SERVICES):
        return ""
    return f"{ENV_UPLOAD_SERVICE} must be one of {', '.join(SERVICES)} (or unset)"
