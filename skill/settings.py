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
# `backcoach build` / `deploy`: the skill stores heart rate and links accounts, so its manifest must link to both.
ENV_PRIVACY_URL = "BACKCOACH_PRIVACY_URL"  # the privacy policy (https)
ENV_TERMS_URL = "BACKCOACH_TERMS_URL"  # the terms of use (https)
ENV_STACK_NAME = "BACKCOACH_STACK_NAME"  # `backcoach deploy`: the CloudFormation stack (default backcoach)
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
# The audio mode (issue 15): where clips are kept and how Alexa reaches them.
ENV_AUDIO_BASE_URL = "BACKCOACH_AUDIO_BASE_URL"  # self-hosting: the public https:// address `backcoach serve` is at
ENV_AUDIO_DIR = "BACKCOACH_AUDIO_DIR"  # self-hosting: the clip directory (default: beside the local store)
ENV_AUDIO_BUCKET = "BACKCOACH_AUDIO_BUCKET"  # deployed: the private S3 bucket of clips
ENV_TTS = "BACKCOACH_TTS"  # "espeak" (default) or "polly"
ENV_POLLY_VOICE = "BACKCOACH_POLLY_VOICE"

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
    audio_base_url: str = ""
    audio_dir: Path | None = None
    audio_bucket: str = ""
    tts: str = "espeak"
    polly_voice: str = "Joanna"
    trusted_proxies: int = 0

    def clip_dir(self) -> Path:
        return self.audio_dir or self.db_path.parent / "clips"


APP = "backcoach"
DB_FILE = "backcoach.sqlite3"


def _xdg_state_dir() -> Path:
    """$XDG_STATE_HOME/backcoach, or ~/.local/state/backcoach: the layout on Linux, and before platformdirs."""
    return Path(os.environ.get(ENV_STATE_HOME) or Path.home() / ".local" / "state") / APP


def state_dir() -> Path:
    """The person's state folder for the local store and the companion's token: the platform's own
    ($XDG_STATE_HOME/backcoach or ~/.local/state/backcoach on Linux, ~/Library/Application Support/backcoach on
    macOS, %LOCALAPPDATA%\\backcoach on Windows). platformdirs is imported here, only when a local path is needed,
    and never on Lambda (whose store is DynamoDB, and whose package does not carry it)."""
    if os.environ.get("AWS_LAMBDA_FUNCTION_NAME"):
        return _xdg_state_dir()
    try:
        from platformdirs import user_state_path
    except ImportError:  # installed without the companion extra: the XDG layout everywhere
        return _xdg_state_dir()
    return user_state_path(APP, appauthor=False)


def default_db_path() -> Path:
    """The local store; logs, uploads and heart rate sit in a file beside it (see skill.storage.stores). A store
    kept in the XDG layout before (macOS, Windows) stays in use until there is one in the platform's folder."""
    current = state_dir() / DB_FILE
    earlier = _xdg_state_dir() / DB_FILE
    return earlier if current != earlier and earlier.exists() and not current.exists() else current


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
        audio_base_url=os.environ.get(ENV_AUDIO_BASE_URL, "").strip(),
        audio_dir=Path(os.environ[ENV_AUDIO_DIR]) if os.environ.get(ENV_AUDIO_DIR) else None,
        audio_bucket=os.environ.get(ENV_AUDIO_BUCKET, "").strip(),
        tts=os.environ.get(ENV_TTS, "espeak").strip().lower() or "espeak",
        polly_voice=os.environ.get(ENV_POLLY_VOICE, "Joanna").strip() or "Joanna",
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


def audio_problem(settings: Settings) -> str:
    """Why the audio mode's settings cannot work ("" when they can, or when the audio mode is off)."""
    if settings.tts not in ("espeak", "polly"):
        return f"{ENV_TTS} must be espeak or polly"
    return audio_base_url_problem(settings.audio_base_url)


def audio_base_url_problem(url: str) -> str:
    """Why Alexa could not play clips at `url` + /clips/<id>.mp3 ("" when it could, or when no URL is set): an
    Echo plays only https:// audio with a trusted certificate, and refuses anything else without a word."""
    if not url:
        return ""
    from urllib.parse import urlsplit

    problem = ""
    try:
        parts = urlsplit(url)
        _ = parts.port  # a port that is not a number raises here
    except ValueError:
        parts = None
    if parts is None or parts.scheme.lower() != "https":
        problem = "must start with https://, because Alexa plays audio only over HTTPS"
    elif not parts.hostname or parts.username is not None or parts.password is not None:
        problem = "must name the server's host (and nothing before it)"
    elif parts.path not in ("", "/") or parts.query or parts.fragment or url.endswith(("?", "#")):
        problem = "must be only the server's address, with no path, query or fragment: the clips are at /clips/"
    return f"{ENV_AUDIO_BASE_URL} {problem} (it is {url!r})" if problem else ""
