"""The skill as a web service (Alexa's "HTTPS endpoint" option): flask-ask-sdk, verification on by default."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope
from flask import Flask, Response, current_app, g, jsonify, request
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError
from werkzeug.middleware.proxy_fix import ProxyFix

from skill.web.oscrypto_fix import load_oscrypto

load_oscrypto()

from ask_sdk_webservice_support.verifier import AbstractVerifier, TimestampVerifier  # noqa: E402
from ask_sdk_webservice_support.webservice_handler import WebserviceSkillHandler  # noqa: E402
from flask_ask_sdk.skill_adapter import (  # noqa: E402 - needs load_oscrypto() first
    VERIFY_SIGNATURE_APP_CONFIG,
    VERIFY_TIMESTAMP_APP_CONFIG,
    SkillAdapter,
)

from skill.alexa.requests import MAX_JSON_DEPTH, json_depth  # noqa: E402
from skill.audio.clips import ClipLibrary, LocalClips  # noqa: E402
from skill.bootstrap import build_skill, build_sync_service  # noqa: E402
from skill.content import Content  # noqa: E402
from skill.settings import ENV_TRUSTED_PROXIES  # noqa: E402
from skill.storage.stores import Stores  # noqa: E402
from skill.web.sync import sync_blueprint  # noqa: E402
from skill.web.verify import CertificateUnavailable, SignatureVerifier  # noqa: E402

log = logging.getLogger("backcoach.web")

MAX_BODY_BYTES = 128 * 1024  # Alexa requests are a few kilobytes
SKILL_PATH = "/"
_SERIALIZER = DefaultSerializer()
INSECURE_WARNING_EVERY_S = 60.0
INSECURE_WARNING = "request signature and timestamp verification is OFF: never expose this server to the internet"


def create_app(
    stores: Stores,
    skill_id: str,
    *,
    verify_signature: bool = True,
    verify_timestamp: bool = True,
    content: Content | None = None,
    upload_service: str = "",
    clips: ClipLibrary | None = None,
    signature_verifier: AbstractVerifier | None = None,
    trusted_proxies: int = 0,
) -> Flask:
    """The web app. Verification can only be turned off explicitly, and then the log says so at start-up and again
    at most once a minute while requests arrive (on every request it was a fourteenth of the server's time).
    `signature_verifier`: the signature check (tests give one with a fake certificate fetch).
    `trusted_proxies`: how many reverse proxies in front append to X-Forwarded-For; the client address (what
    pairing attempts are limited by) is the one the outermost of them saw. 0: the header is not believed."""
    app = Flask("backcoach")
    if trusted_proxies > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted_proxies)  # type: ignore[method-assign]
    else:
        _warn_once_if_proxied(app)
    # The SDK's own RequestVerifier is replaced by SignatureVerifier (timeouts, no ValueError); the SDK's
    # switches are off and the same checks, in the same order, are passed in as the adapter's verifiers.
    app.config[VERIFY_SIGNATURE_APP_CONFIG] = False
    app.config[VERIFY_TIMESTAMP_APP_CONFIG] = False
    verifiers: list[AbstractVerifier] = []
    if verify_signature:
        verifiers.append(signature_verifier or SignatureVerifier())
    if verify_timestamp:
        verifiers.append(TimestampVerifier())
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    # flask-ask-sdk logs a full traceback for every request that fails verification, which anyone on the
    # internet can trigger; refusals are logged here in one line instead.
    app.logger.disabled = True
    insecure = not (verify_signature and verify_timestamp)
    warned_at = [time.monotonic()] if insecure else []
    if insecure:
        log.warning(INSECURE_WARNING)
    skill = build_skill(stores, content, skill_id or None, upload_service, clips=clips)
    if clips is not None and isinstance(clips.store, LocalClips):  # self-hosted clips, at a path of their own
        from skill.web.clips import clips_blueprint

        app.register_blueprint(clips_blueprint(clips.store.directory))
    skill_adapter = CheckedSkillAdapter(skill=skill, skill_id=skill_id, verifiers=verifiers, app=app)
    sync = build_sync_service(stores)
    if sync is not None:
        app.register_blueprint(sync_blueprint(sync))
        app.extensions["backcoach.sync"] = sync

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify(status="ok")

    @app.post(SKILL_PATH)
    def alexa() -> Any:
        if insecure and time.monotonic() - warned_at[0] >= INSECURE_WARNING_EVERY_S:
            warned_at[0] = time.monotonic()
            log.warning(INSECURE_WARNING)
        if request.mimetype != "application/json":
            return _error(415, "expected a JSON body (Content-Type: application/json)")
        body = request.get_data(cache=True)
        problem, g.envelope = _envelope_problem(body, skill_id)
        if problem:
            return _error(400, problem)
        try:
            return skill_adapter.dispatch_request()
        except BadRequest:
            return _error(400, "the request failed signature or timestamp verification")
        except CertificateUnavailable:
            log.warning("signing certificate could not be fetched")
            return _error(400, "the request's signing certificate could not be fetched")
        except InternalServerError:
            return _error(500, "the skill could not answer this request")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        return _error(error.code or 500, (error.description or error.name).split(".")[0])

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Any:
        log.error("unhandled error=%s", type(error).__name__)
        return _error(500, "internal error")

    return app


def _warn_once_if_proxied(app: Flask) -> None:
    """Behind a proxy that nobody declared, every client has the proxy's address and shares its pairing limit:
    say so once, when the first forwarded request arrives."""
    warned = False

    @app.before_request
    def check_forwarded() -> None:
        nonlocal warned
        if not warned and "X-Forwarded-For" in request.headers:
            warned = True
            log.warning("requests arrive through a reverse proxy (X-Forwarded-For) but %s is 0: every client "
                        "shares the proxy's pairing limit; set it to the number of proxies in front",
                        ENV_TRUSTED_PROXIES)


class CheckedSkillAdapter(SkillAdapter):
    """flask-ask-sdk's adapter, answering with the envelope the endpoint already read to check it: reading it a
    second time was about a third of a request's time."""

    def _create_webservice_handler(self, skill: Any, verifiers: list[AbstractVerifier]) -> None:
        self._webservice_handler = _ReadOnceHandler(
            skill=skill, verify_signature=current_app.config.get(VERIFY_SIGNATURE_APP_CONFIG, True),
            verify_timestamp=current_app.config.get(VERIFY_TIMESTAMP_APP_CONFIG, True), verifiers=verifiers)
        self._webservice_handler._add_custom_user_agent("flask-ask-sdk")


class _ReadOnceHandler(WebserviceSkillHandler):
    def verify_request_and_dispatch(self, http_request_headers: Any, http_request_body: str) -> Any:
        envelope = g.pop("envelope", None)
        if envelope is None:  # not through the checked endpoint: the library's own way
            return super().verify_request_and_dispatch(http_request_headers, http_request_body)
        for verifier in self._verifiers:  # the same checks, in the same order, on the same text and envelope
            verifier.verify(headers=http_request_headers, serialized_request_env=http_request_body,
                            deserialized_request_env=envelope)
        return self._skill.serializer.serialize(self._skill.invoke(request_envelope=envelope, context=None))


def _envelope_problem(body: bytes, skill_id: str) -> tuple[str, RequestEnvelope | None]:
    """Why `body` cannot be an Alexa request for this skill ("" when it looks like one), and the envelope read."""
    try:
        text = body.decode("utf-8")
        envelope = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return "the body is not valid JSON", None
    if json_depth(envelope) > MAX_JSON_DEPTH:
        return f"the body is nested more than {MAX_JSON_DEPTH} levels deep", None
    if not isinstance(envelope, dict) or not isinstance(envelope.get("request"), dict):
        return "the body is not an Alexa request envelope", None
    if not isinstance(envelope["request"].get("type"), str):
        return "the request has no type", None
    system = (envelope.get("context") or {}).get("System") if isinstance(envelope.get("context"), dict) else None
    application = (system or {}).get("application") if isinstance(system, dict) else None
    sent_id = application.get("applicationId") if isinstance(application, dict) else None
    if skill_id and sent_id != skill_id:
        return "the request is for another skill", None
    try:
        parsed = _SERIALIZER.deserialize(text, RequestEnvelope)
    except Exception:  # noqa: BLE001 - whatever the SDK cannot read is a bad request, not a server error
        return "the request envelope is malformed", None
    if parsed is None or parsed.request is None or parsed.context is None:
        return "the request envelope is incomplete", None
    return "", parsed


def _error(status: int, message: str) -> tuple[Response, int]:
    log.info("refused status=%d reason=%s", status, message)
    return jsonify(error=message), status
