"""The audio mode's clips, served by `backcoach serve` at /clips/<id>.mp3 (byte ranges included, as players ask
for them). Alexa plays only HTTPS with a certificate it trusts: put a reverse proxy in front (see the README)."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Blueprint, Response, abort, send_file

from skill.audio.clips import CLIP_PATH, CONTENT_TYPE

_CLIP = re.compile(r"[0-9a-f]{40}")


def clips_blueprint(directory: Path) -> Blueprint:
    clips = Blueprint("clips", __name__)
    root = Path(directory).resolve()

    @clips.get(f"{CLIP_PATH}<name>.mp3")
    def clip(name: str) -> Response:
        if not _CLIP.fullmatch(name):  # content addresses only: no other file of the directory is reachable
            abort(404)
        path = root / f"{name}.mp3"
        if not path.is_file():
            abort(404)
        response = send_file(path, mimetype=CONTENT_TYPE, conditional=True, max_age=365 * 24 * 3600)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response

    return clips
