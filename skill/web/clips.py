"""The audio mode's clips, served by `backcoach serve` at /clips/<id>.mp3 (byte ranges included, as players ask
for them). Alexa plays only HTTPS with a certificate it trusts: put a reverse proxy in front (see the README)."""

from __future__ import annotations

import re
import stat
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
        path = _inside(root, root / f"{name}.mp3")
        if path is None:
            abort(404)
        response = send_file(path, mimetype=CONTENT_TYPE, conditional=True, max_age=365 * 24 * 3600)
        response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response

    return clips


def _inside(root: Path, path: Path) -> Path | None:
    """`path` resolved, when it is a regular file inside `root` (the folder itself resolved); None otherwise. A
    clip-named symlink that points out of the folder (or a dangling one) is not served: only what the clip
    cache wrote there is."""
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, a symlink loop
        return None
    if not resolved.is_relative_to(root) or not stat.S_ISREG(resolved.stat().st_mode):
        return None
    return resolved
