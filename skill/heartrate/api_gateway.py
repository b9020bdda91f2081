"""The sync API on Lambda behind an API Gateway HTTP API (payload format 2.0), without a web framework."""

from __future__ import annotations

import base64
import json
from typing import Any

from skill.heartrate.service import MAX_BODY_BYTES, Reply, SyncService

ROUTES = (("POST", "/v1/pair"), ("POST", "/v1/heart-rate"))


def handle(service: SyncService, event: dict[str, Any]) -> dict[str, Any]:
    """One API Gateway event answered by the sync service."""
    http = (event.get("requestContext") or {}).get("http") or {}
    headers = {k.lower(): v for k, v in (event.get("headers") or {}).items()}
    route = (http.get("method"), event.get("rawPath"))
    if route not in ROUTES:
        return _response((404, {"error": "no such route"}))
    if headers.get("content-type", "").split(";")[0].strip() != "application/json":
        return _response((415, {"error": "expected a JSON body (Content-Type: application/json)"}))
    raw = event.get("body") or ""
    data = base64.b64decode(raw) if event.get("isBase64Encoded") else raw.encode()
    if len(data) > MAX_BODY_BYTES:
        return _response((413, {"error": f"body larger than {MAX_BODY_BYTES} bytes"}))
    try:
        body = json.loads(data)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return _response((400, {"error": "the body is not valid JSON"}))
    if route[1] == "/v1/pair":
        return _response(service.pair(body, http.get("sourceIp", "?")))
    return _response(service.heart_rate(body, headers.get("authorization")))


def _response(reply: Reply) -> dict[str, Any]:
    status, body = reply
    return {"statusCode": status, "headers": {"Content-Type": "application/json"}, "body": json.dumps(body)}
