"""Generated inputs of the kinds issue 20 found by hand: certificate URLs of every shape, slot values of every
length and character class, session attributes deep or odd, and SessionEndedRequests. Every answer is a 4xx or
a valid response; speech is valid SSML, echoes at most MAX_SLOT_CHARS of what was said, and is never sent in
reply to a SessionEndedRequest."""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.error import URLError

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill.alexa.requests import MAX_SLOT_CHARS
from skill.cli import envelopes
from skill.speech.ssml import check
from skill.storage.stores import sqlite_stores
from skill.web import verify
from skill.web.app import create_app
from tests.events import SKILL_ID, event
from tests.robustness.conftest import TRIED
from tests.robustness.test_malformed_requests import json_values

fetched: list[str] = []


def no_network(url: Any, *args: Any, **kwargs: Any) -> Any:
    fetched.append(url)
    raise URLError("no network in tests")


@pytest.fixture(scope="module")
def apps():
    patch = pytest.MonkeyPatch()
    patch.setattr(verify, "urlopen", no_network)
    patch.setattr("ask_sdk_webservice_support.verifier.urlopen", no_network)
    store = sqlite_stores()
    secure = create_app(store, SKILL_ID).test_client()
    insecure = create_app(store, "", verify_signature=False, verify_timestamp=False).test_client()
    yield secure, insecure, store
    patch.undo()
    store.close()


# -- certificate URLs ------------------------------------------------------------------------------------------

ports = st.one_of(st.just(""), st.integers(-10**6, 10**6).map(str), st.text(max_size=8),
                  st.sampled_from(["443", "0443", "99999", "-1", "abc", " 443", "443 ", "+443", "65536"]))
hosts = st.one_of(st.sampled_from(["s3.amazonaws.com", "S3.AMAZONAWS.COM", "s3.amazonaws.com.", "evil.com",
                                   "[s3.amazonaws.com", "s3.amazonaws.com]", "[::1]", "[::1", "user@s3.amazonaws.com",
                                   "s3.amazonaws.com@evil.com", ""]), st.text(max_size=20))
paths = st.one_of(st.sampled_from(["/echo.api/echo-api-cert-12.pem", "/echo.api/../x.pem", "/ECHO.API/c.pem",
                                   "/echo.api/", "", "/echo.api/%2e%2e/x", "//echo.api/c"]), st.text(max_size=30))
cert_urls = st.one_of(
    st.builds(lambda scheme, host, port, path, tail: f"{scheme}://{host}{':' + port if port else ''}{path}{tail}",
              st.sampled_from(["https", "HTTPS", "http", "ftp", "file", ""]), hosts, ports, paths,
              st.sampled_from(["", "?x=1", "#frag", "?", "#"])),
    st.text(max_size=80),
)


@given(cert_url=cert_urls)
def test_certificate_urls_of_every_shape_are_refused_with_a_4xx(apps, cert_url: str) -> None:
    secure = apps[0]
    before = len(fetched)
    try:
        cert_url.encode("latin-1")
    except UnicodeEncodeError:
        return  # not a value an HTTP header can carry
    if "\r" in cert_url or "\n" in cert_url:
        return  # nor is this
    answer = secure.post("/", data=json.dumps(event("launch", at=time.time())), content_type="application/json",
                         headers={"SignatureCertChainUrl": cert_url, "Signature-256": "c2lnbmF0dXJl"})
    TRIED["certificate URLs"] += 1
    assert answer.status_code == 400, (cert_url, answer.get_json())
    if len(fetched) > before:  # only a URL that passed Amazon's checks is ever fetched
        assert fetched[-1].lower().startswith("https://s3.amazonaws.com")


@given(cert_url=cert_urls)
def test_the_verifier_raises_only_verification_errors(cert_url: str) -> None:
    verifier = verify.SignatureVerifier(fetch=lambda url: b"-----BEGIN CERTIFICATE-----\nAAAA\n")
    headers = {"SignatureCertChainUrl": cert_url, "Signature-256": "%%%not base64"}
    TRIED["certificate URLs, verifier alone"] += 1
    with pytest.raises((verify.VerificationException, verify.CertificateUnavailable)):
        verifier.verify(headers, "{}", None)


# -- slot values -----------------------------------------------------------------------------------------------

slot_text = st.one_of(
    st.text(max_size=40),
    st.text(st.characters(codec=None, exclude_categories=()), max_size=300),  # every category, surrogates too
    st.text(st.characters(max_codepoint=0x9F), max_size=200),  # control characters
    st.integers(0, 30_000).map(lambda n: "row " * (n // 4)),  # every length
    st.sampled_from(["²", "½", "٣", "３", "Ⅻ", "\x00", "\ud800", "\ufffe", "&lt;", "<speak>", "]]>", "'\""]),
)
slot_intents = st.sampled_from([
    ("ExplainExerciseIntent", "EXERCISE", "EXERCISE"), ("StartWorkoutIntent", "WORKOUT", "WORKOUT"),
    ("StartWorkoutIntent", "EQUIPMENT", "EQUIPMENT"), ("SetAgeIntent", "AGE", "AMAZON.NUMBER"),
    ("SetRecoveryHeartRateIntent", "BPM", "AMAZON.NUMBER"),
])


@given(value=slot_text, target=slot_intents)
def test_slot_values_of_every_length_and_class_give_valid_bounded_speech(apps, value: str, target: Any) -> None:
    _, insecure, _ = apps
    intent, name, slot_type = target
    slots = {name: envelopes.slot_value(name, value, None, slot_type)}
    body = envelopes.envelope(envelopes.intent_request(intent, time.time(), slots), user=envelopes.user_id("fuzz"),
                              device=envelopes.device_id("d"), session_id="s", new_session=True,
                              skill_id=SKILL_ID)
    answer = insecure.post("/", data=json.dumps(body), content_type="application/json")
    TRIED["slot values"] += 1
    assert answer.status_code == 200, answer.get_json()
    ssml = answer.get_json()["response"]["outputSpeech"]["ssml"]
    assert check(ssml) == [], ssml[:300]
    assert len(ssml) < 8000  # within Alexa's limit; an echo is at most MAX_SLOT_CHARS, never the whole value
    assert value not in ssml or len(value) <= MAX_SLOT_CHARS


# -- session attributes and SessionEndedRequest ----------------------------------------------------------------

def deep(depth: int, kind: str) -> str:
    return ('{"a": ' * depth + "{}" + "}" * depth) if kind == "object" else "[" * depth + "]" * depth


@given(attributes=json_values, depth=st.integers(0, 3000), kind=st.sampled_from(["object", "list"]),
       request=st.sampled_from(["help", "next", "status", "session_ended_user", "session_ended_timeout"]))
def test_deep_or_odd_session_attributes_are_never_a_5xx(apps, attributes: Any, depth: int, kind: str,
                                                        request: str) -> None:
    _, insecure, _ = apps
    body = event(request, at=time.time(), new=False)
    body["session"]["attributes"] = {"record": "HOLE", "other": attributes}
    data = json.dumps(body).replace('"HOLE"', deep(depth, kind))
    answer = insecure.post("/", data=data, content_type="application/json")
    TRIED["session attributes"] += 1
    assert answer.status_code in (200, 400), answer.get_json()
    if answer.status_code == 200 and request.startswith("session_ended"):
        assert "outputSpeech" not in answer.get_json()["response"]


@given(reason=st.text(max_size=30) | st.sampled_from(["USER_INITIATED", "ERROR", "EXCEEDED_MAX_REPROMPTS"]),
       attributes=json_values, error=st.none() | st.fixed_dictionaries({"type": st.text(max_size=20),
                                                                          "message": st.text(max_size=50)}))
def test_nothing_is_spoken_in_reply_to_any_session_ended_request(apps, reason: str, attributes: Any,
                                                                  error: Any) -> None:
    _, insecure, _ = apps
    body = event("session_ended_user", at=time.time(), new=False)
    body["request"]["reason"] = reason
    if error is not None:
        body["request"]["error"] = error
    body["session"]["attributes"] = attributes if isinstance(attributes, dict) else {"record": attributes}
    answer = insecure.post("/", data=json.dumps(body), content_type="application/json")
    TRIED["session ended requests"] += 1
    assert answer.status_code in (200, 400)
    if answer.status_code == 200:
        assert "outputSpeech" not in answer.get_json()["response"]
