"""The skill as a web service (Alexa's "HTTPS endpoint" option): flask-ask-sdk, verification on by default.

A request goes through the same App as the Lambda entry (skill.bootstrap.App: the envelope check of
skill.alexa.envelope, then the skill), so both answer every request type alike. The differences are the web's
own: a body that is no Alexa request for this skill is a 400, not an apology, and nothing is answered before the
signature and the timestamp are verified."""

from __future__ import annotations

import json
import logging
import time
from typing import Any

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

from skill.alexa.envelope import Checked  # noqa: E402
from skill.audio.clips import ClipLibrary, LocalClips  # noqa: E402
from skill.bootstrap import App, build_app, build_sync_service  # noqa: E402
from skill.content import Content  # noqa: E402
from skill.settings import ENV_TRUSTED_PROXIES  # noqa: E402
from skill.storage.stores import Stores  # noqa: E402
from skill.web.sync import sync_blueprint  # noqa: E402
from skill.web.verify import CertificateUnavailable, SignatureVerifier  # noqa: E402

log = logging.getLogger("backcoach.web")

MAX_BODY_BYTES = 128 * 1024  # Alexa requests are a few kilobytes
SKILL_PATH = "/"
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
    skill = build_app(stores, content, skill_id or None, upload_service, clips=clips)
    if clips is not None and isinstance(clips.store, LocalClips):  # self-hosted clips, at a path of their own
        from skill.web.clips import clips_blueprint

        app.register_blueprint(clips_blueprint(clips.store.directory))
    skill_adapter = CheckedSkillAdapter(skill, skill_id=skill_id, verifiers=verifiers, app=app)
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
        event = _parsed(request.get_data(cache=True))
        if event is None:
            return _error(400, "the body is not valid JSON")
        g.checked = skill.check(event)
        if g.checked.problem:
            return _error(400, g.checked.problem)
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
    """flask-ask-sdk's adapter, answering through the App with the envelope the endpoint already checked:
    reading it a second time was about a third of a request's time."""

    def __init__(self, app_: App, **kwargs: Any) -> None:
        self.backcoach = app_
        super().__init__(skill=app_.skill, **kwargs)

    def _create_webservice_handler(self, skill: Any, verifiers: list[AbstractVerifier]) -> None:
        self._webservice_handler = _ReadOnceHandler(
            skill=skill, verify_signature=current_app.config.get(VERIFY_SIGNATURE_APP_CONFIG, True),
            verify_timestamp=current_app.config.get(VERIFY_TIMESTAMP_APP_CONFIG, True), verifiers=verifiers)
        self._webservice_handler.backcoach = self.backcoach
        self._webservice_handler._add_custom_user_agent("flask-ask-sdk")


class _ReadOnceHandler(WebserviceSkillHandler):
    backcoach: App

    def verify_request_and_dispatch(self, http_request_headers: Any, http_request_body: str) -> Any:
        checked: Checked | None = g.pop("checked", None)
        if checked is None:  # not through the checked endpoint: the library's own way
            return super().verify_request_and_dispatch(http_request_headers, http_request_body)
        # The same checks, in the same order, on the same text. A request the SDK cannot read (a type Amazon
        # added after the pinned ask-sdk-model) is verified on what the timestamp check needs of it.
        envelope = checked.envelope if checked.envelope is not None else _stand_in(json.loads(http_request_body))
        for verifier in self._verifiers:
            verifier.verify(headers=http_request_headers, serialized_request_env=http_request_body,
                            deserialized_request_env=envelope)
        return self.backcoach.answer(checked)


def _parsed(body: bytes) -> Any:
    """The body as JSON, or None when it is not JSON (or nests too deep for the parser)."""
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None


def _stand_in(event: dict[str, Any]) -> Any:
    """What the verifiers read of an envelope (the request's type and timestamp), for one the SDK cannot read;
    a timestamp that does not parse is None, which the timestamp check refuses."""
    from types import SimpleNamespace

    from dateutil.parser import isoparse

    request = event.get("request") or {}
    try:
        stamp = isoparse(request.get("timestamp"))
        stamp = stamp if stamp.tzinfo is not None else None
    except (TypeError, ValueError, OverflowError):
        stamp = None
    return SimpleNamespace(request=SimpleNamespace(object_type=request.get("type"), timestamp=stamp))


def _error(status: int, message: str) -> tuple[Response, int]:
    log.info("refused status=%d reason=%s", status, message)
    return jsonify(error=message), status
