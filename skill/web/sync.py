"""The wearable sync API over HTTP (Flask): the companion pairs here and posts heart rate."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, jsonify, request

from skill.heartrate.service import MAX_BODY_BYTES, Reply, SyncService

SYNC_PREFIX = "/v1"


def sync_blueprint(service: SyncService) -> Blueprint:
    blueprint = Blueprint("sync", __name__, url_prefix=SYNC_PREFIX)

    def body() -> tuple[Any, Reply | None]:
        if request.mimetype != "application/json":
            return None, (415, {"error": "expected a JSON body (Content-Type: application/json)"})
        if (request.content_length or 0) > MAX_BODY_BYTES:
            return None, (413, {"error": f"body larger than {MAX_BODY_BYTES} bytes"})
        raw = request.get_data(cache=False)
        if len(raw) > MAX_BODY_BYTES:
            return None, (413, {"error": f"body larger than {MAX_BODY_BYTES} bytes"})
        try:
            return json.loads(raw), None
        except (UnicodeDecodeError, ValueError, RecursionError):
            return None, (400, {"error": "the body is not valid JSON"})

    def reply(answer: Reply) -> tuple[Response, int]:
        return jsonify(answer[1]), answer[0]

    @blueprint.post("/pair")
    def pair() -> tuple[Response, int]:
        data, refused = body()
        return reply(refused or service.pair(data, request.remote_addr or "?"))

    @blueprint.post("/heart-rate")
    def heart_rate() -> tuple[Response, int]:
        data, refused = body()
        return reply(refused or service.heart_rate(data, request.headers.get("Authorization")))

    return blueprint
