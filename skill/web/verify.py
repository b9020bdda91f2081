"""Alexa's request signature check for a public endpoint.

ask-sdk-webservice-support's RequestVerifier does the checks Amazon documents (URL, chain, SAN, signature), but
as a web service it lacks three things this subclass adds: a certificate URL that does not even parse (a port of
99999, an unclosed "[") or a certificate that is not PEM is a refusal, not a ValueError that becomes a 500; the
certificate fetch has a timeout and a size cap, so a stalled fetch cannot hold a worker thread past Alexa's 8 s;
and the certificate cache is bounded, so URLs that differ only in a query string cannot grow it without end.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit
from urllib.request import urlopen

from skill.web.oscrypto_fix import load_oscrypto

load_oscrypto()

from ask_sdk_webservice_support.verifier import (  # noqa: E402 - needs load_oscrypto() first
    RequestVerifier,
    VerificationException,
)

CERT_FETCH_TIMEOUT_S = 3.0  # per connect and per read: Alexa waits about 8 s for the whole answer
MAX_CERT_BYTES = 64 * 1024  # Amazon's chain is about 5 KB
MAX_CACHED_CERTS = 8  # Amazon signs with one certificate at a time and rotates it rarely


class CertificateUnavailable(Exception):
    """The signing certificate could not be fetched (network, timeout): the request cannot be verified."""


def fetch_certificate(url: str) -> bytes:
    """The certificate chain at `url`, with a timeout and a size cap."""
    with urlopen(url, timeout=CERT_FETCH_TIMEOUT_S) as answer:
        data = answer.read(MAX_CERT_BYTES + 1)
    if len(data) > MAX_CERT_BYTES:
        raise VerificationException(f"the certificate chain is larger than {MAX_CERT_BYTES} bytes")
    return data


class SignatureVerifier(RequestVerifier):
    """RequestVerifier with every failure to verify raised as VerificationException (a 400), except a certificate
    that could not be fetched, raised as CertificateUnavailable (also a 400, logged as such)."""

    def __init__(self, fetch: Callable[[str], bytes] | None = None) -> None:
        super().__init__()
        self._fetch = fetch or fetch_certificate
        self._cert_cache: OrderedDict[str, bytes] = OrderedDict()
        self._cache_lock = threading.Lock()

    def verify(self, headers: dict[str, Any], serialized_request_env: str, deserialized_request_env: Any) -> None:
        try:
            super().verify(headers, serialized_request_env, deserialized_request_env)
        except (VerificationException, CertificateUnavailable):
            raise
        except OSError as e:  # URLError, timeouts, resets: the certificate did not arrive
            raise CertificateUnavailable(type(e).__name__) from None
        except Exception as e:  # noqa: BLE001 - a URL, certificate or signature that cannot be read is unverifiable
            raise VerificationException(f"the request cannot be verified ({type(e).__name__})") from None

    def _validate_certificate_url(self, cert_url: str) -> None:
        try:
            super()._validate_certificate_url(cert_url)
            has_user = "@" in urlsplit(cert_url).netloc
        except ValueError as e:  # urlparse: "Invalid IPv6 URL", "Port out of range", "Port could not be cast"
            raise VerificationException(f"the certificate URL does not parse ({e})") from None
        if has_user:  # https://user@s3.amazonaws.com/…: Amazon's URL never carries credentials
            raise VerificationException("the certificate URL carries a user name")

    def _load_cert_chain(self, cert_url: str) -> bytes:
        with self._cache_lock:
            if cert_url in self._cert_cache:
                self._cert_cache.move_to_end(cert_url)
                return self._cert_cache[cert_url]
        data = self._fetch(cert_url)
        with self._cache_lock:
            self._cert_cache[cert_url] = data
            while len(self._cert_cache) > MAX_CACHED_CERTS:
                self._cert_cache.popitem(last=False)
        return data
