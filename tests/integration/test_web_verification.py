"""Requests that cannot be verified are refused with a 4xx, whatever is wrong with them: a certificate URL that
does not parse, session attributes nested too deep to read, a certificate fetch that stalls."""

from __future__ import annotations

import json
from typing import Any
from urllib.error import URLError

import pytest

from skill.speech import prompts
from skill.speech.ssml import check
from skill.storage.stores import Stores
from skill.web import verify
from skill.web.app import create_app
from tests.events import AMAZON_CERT_URL, SKILL_ID, now_event
from tests.integration.conftest import rows


class Fetches:
    """Stands in for the network: records every certificate fetch and its timeout, then fails it as told."""

    def __init__(self, error: Exception) -> None:
        self.error = error
        self.calls: list[tuple[str, Any]] = []

    def __call__(self, url: Any, *args: Any, **kwargs: Any) -> Any:
        self.calls.append((getattr(url, "full_url", url), kwargs.get("timeout", args[1] if len(args) > 1 else None)))
        raise self.error


@pytest.fixture
def fetches(monkeypatch: pytest.MonkeyPatch) -> Fetches:
    recorder = Fetches(URLError("no route to host"))
    # Both the library's fetch and ours: whichever the app uses, no request leaves the machine.
    monkeypatch.setattr("ask_sdk_webservice_support.verifier.urlopen", recorder)
    monkeypatch.setattr(verify, "urlopen", recorder)
    return recorder


def signed_post(client: Any, cert_url: str, body: Any = None) -> Any:
    headers = {"SignatureCertChainUrl": cert_url, "Signature-256": "c2lnbmF0dXJl"}
    return client.post("/", data=json.dumps(body or now_event("launch")), headers=headers,
                       content_type="application/json")


@pytest.mark.parametrize("cert_url", [
    "https://s3.amazonaws.com:99999/echo.api/echo-api-cert-12.pem",
    "https://s3.amazonaws.com:abc/echo.api/echo-api-cert-12.pem",
    "https://s3.amazonaws.com:-1/echo.api/echo-api-cert-12.pem",
    "https://[s3.amazonaws.com/echo.api/echo-api-cert-12.pem",
    "https://s3.amazonaws.com]/echo.api/echo-api-cert-12.pem",
    "https://[::1/echo.api/echo-api-cert-12.pem",
    "https://s3.amazonaws.com:/echo.api/../x.pem",
    "https://user:pw@s3.amazonaws.com/echo.api/echo-api-cert-12.pem",
    "",
])
def test_a_certificate_url_that_does_not_parse_is_a_400(store: Stores, fetches: Fetches, cert_url: str) -> None:
    answer = signed_post(create_app(store, SKILL_ID).test_client(), cert_url)
    assert answer.status_code == 400, answer.get_json()
    assert set(answer.get_json()) == {"error"} and fetches.calls == [] and rows(store) == 0


def test_the_certificate_fetch_has_a_timeout(store: Stores, fetches: Fetches) -> None:
    answer = signed_post(create_app(store, SKILL_ID).test_client(), AMAZON_CERT_URL)
    assert answer.status_code == 400
    assert fetches.calls == [(AMAZON_CERT_URL, verify.CERT_FETCH_TIMEOUT_S)]
    assert 0 < verify.CERT_FETCH_TIMEOUT_S <= 4  # Alexa waits about 8 s for the whole answer


@pytest.mark.parametrize("error", [TimeoutError("timed out"), OSError("no route"),
                                   ConnectionResetError("reset"), URLError(TimeoutError("timed out"))])
def test_a_stalled_or_broken_certificate_fetch_is_a_400(store: Stores, fetches: Fetches, error: Exception) -> None:
    fetches.error = error
    answer = signed_post(create_app(store, SKILL_ID).test_client(), AMAZON_CERT_URL)
    assert answer.status_code == 400 and rows(store) == 0


def test_a_certificate_that_is_not_pem_is_a_400(store: Stores) -> None:
    verifier = verify.SignatureVerifier(fetch=lambda url: b"<html>not a certificate</html>")
    client = create_app(store, SKILL_ID, signature_verifier=verifier).test_client()
    assert signed_post(client, AMAZON_CERT_URL).status_code == 400


def test_the_certificate_cache_is_bounded() -> None:
    fetched: list[str] = []

    def fetch(url: str) -> bytes:
        fetched.append(url)
        return b"x"

    verifier = verify.SignatureVerifier(fetch=fetch)
    urls = [f"{AMAZON_CERT_URL}?n={n}" for n in range(verify.MAX_CACHED_CERTS * 3)]
    for url in urls:
        verifier._load_cert_chain(url)
    verifier._load_cert_chain(urls[-1])
    assert len(fetched) == len(urls) and len(verifier._cert_cache) == verify.MAX_CACHED_CERTS


def nested(body: dict[str, Any], depth: int) -> str:
    """`body` as JSON with session attributes `depth` objects deep (written as text: json.dumps would recurse)."""
    body["session"]["attributes"] = {"x": "HOLE"}
    return json.dumps(body).replace('"HOLE"', '{"a": ' * depth + "{}" + "}" * depth)


@pytest.mark.parametrize("depth", [100, 500, 900])
def test_session_attributes_nested_deep_are_dropped_as_on_lambda(store: Stores, depth: int) -> None:
    """The same envelope check as the Lambda entry: the session only ever carries a record still to be
    written, so attributes too deep to read are dropped and the request is answered from the store."""
    client = create_app(store, "", verify_signature=False, verify_timestamp=False).test_client()
    answer = client.post("/", data=nested(now_event("help"), depth), content_type="application/json")
    assert answer.status_code == 200
    ssml = answer.get_json()["response"]["outputSpeech"]["ssml"]
    assert check(ssml) == [] and prompts.APOLOGY not in ssml


def test_a_body_too_deep_for_the_json_parser_is_a_400_not_a_500(store: Stores) -> None:
    client = create_app(store, "", verify_signature=False, verify_timestamp=False).test_client()
    answer = client.post("/", data=nested(now_event("help"), 5000), content_type="application/json")
    assert answer.status_code == 400 and rows(store) == 0


def test_a_real_session_is_not_too_deep(store: Stores) -> None:
    client = create_app(store, "", verify_signature=False, verify_timestamp=False).test_client()
    started = client.post("/", json=now_event("start_workout")).get_json()
    attributes = started["sessionAttributes"]
    for turn in ("next", "next", "status", "pause", "resume"):
        answer = client.post("/", json=now_event(turn, attributes=attributes, new=False))
        assert answer.status_code == 200
        attributes = answer.get_json()["sessionAttributes"]
