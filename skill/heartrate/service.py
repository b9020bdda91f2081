"""The sync API's rules, independent of the web framework: pairing, token auth, validation, rate limits.

Each call returns (HTTP status, JSON body); the Flask blueprint and the Lambda entry only translate.

Pairing attempts are limited by counters in the pairing store (DynamoDB when deployed), so the limits hold
across Lambda containers and `backcoach serve` threads alike, in three keys: everyone together, the client
(the address API Gateway, or the trusted reverse proxy, reports), and the code tried. Everyone's limit is what
bounds guessing: a code lives 10 minutes, which touch at most 11 one-minute windows, so an attacker with any
number of addresses gets at most 11 x 30 = 330 tries at a code, a chance of 330 / 10^6 = 0.033% of hitting
one given live code. The client's limit keeps one address from using all of that, so a single guesser
cannot lock everyone else out (it takes three addresses at full rate); past it, pairing answers 429 for the rest
of the minute, never a wrong pairing.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from skill.heartrate.pairing import PAIRING_TTL_S, digest
from skill.heartrate.samples import parse_heart_rate
from skill.storage.pairing import PairingStore
from skill.storage.samples import SampleStore

MAX_SAMPLES_PER_BATCH = 600  # ten minutes at one a second
MAX_BODY_BYTES = 100 * 1024  # room for a full batch (600 samples are about 70 KB)
_CODE = re.compile(r"\d{6}")
Reply = tuple[int, dict[str, Any]]


@dataclass(frozen=True)
class Limit:
    """At most `attempts` in each fixed window of `window_s` seconds, per key of one `kind`."""

    kind: str  # "everyone", "client" or "code"
    attempts: int
    window_s: int


PAIRING_LIMITS = (Limit("everyone", 30, 60), Limit("client", 10, 60), Limit("code", 5, PAIRING_TTL_S))


@dataclass
class RateLimiter:
    """A token bucket per key: `burst` requests at once, refilled at `per_second`."""

    per_second: float
    burst: int
    clock: Callable[[], float] = time.monotonic
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def allow(self, key: str) -> bool:
        now = self.clock()
        with self._lock:
            tokens, since = self._buckets.get(key, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + (now - since) * self.per_second)
            allowed = tokens >= 1
            self._buckets[key] = (tokens - 1 if allowed else tokens, now)
            if len(self._buckets) > 10_000:  # forget the oldest callers rather than grow without bound
                for stale in sorted(self._buckets, key=lambda k: self._buckets[k][1])[:1000]:
                    del self._buckets[stale]
            return allowed


@dataclass
class SyncService:
    pairing: PairingStore
    samples: SampleStore
    clock: Callable[[], float] = time.time
    pairing_limits: tuple[Limit, ...] = PAIRING_LIMITS
    # Per device token, in this process: it only slows a paired companion that misbehaves.
    upload_limit: RateLimiter = field(default_factory=lambda: RateLimiter(per_second=2, burst=10))

    def pair(self, body: Any, client: str) -> Reply:
        """`client`: the caller's address as API Gateway or the trusted reverse proxy reports it."""
        if not isinstance(body, dict) or not isinstance(body.get("code"), str) or not _CODE.fullmatch(body["code"]):
            return 400, {"error": "expected {\"code\": \"<6 digits>\", \"device\": \"<name>\"}"}
        device = body.get("device", "wearable")
        if not isinstance(device, str) or not 0 < len(device) <= 64:
            return 400, {"error": "device must be a name of 1 to 64 characters"}
        if self._over_limit(body["code"], client):
            return 429, {"error": "too many pairing attempts; wait a minute"}
        user = self.pairing.redeem_pairing(digest(body["code"]), int(self.clock()))
        if user is None:
            return 403, {"error": "that pairing code is wrong, expired or already used"}
        token = secrets.token_urlsafe(32)
        self.pairing.save_token(digest(token), user, device, int(self.clock()))
        return 201, {"token": token}

    def _over_limit(self, code: str, client: str) -> bool:
        """Counts this attempt under each limit (stopping at the first one it exceeds). Keys are hashed: the
        store keeps no address and no code."""
        now = int(self.clock())
        subject = {"everyone": "", "client": client, "code": code}
        for limit in self.pairing_limits:
            window_end = (now // limit.window_s + 1) * limit.window_s
            key = digest(f"pairing-attempt:{limit.kind}:{subject[limit.kind]}")[:32]
            if self.pairing.count_attempt(key, window_end) > limit.attempts:
                return True
        return False

    def _user(self, authorization: str | None) -> tuple[str | None, Reply | None]:
        if not authorization or not authorization.startswith("Bearer ") or len(authorization) > 200:
            return None, (401, {"error": "missing bearer token"})
        token_hash = digest(authorization.removeprefix("Bearer ").strip())
        if not self.upload_limit.allow(token_hash):
            return None, (429, {"error": "too many requests; slow down"})
        user = self.pairing.user_for_token(token_hash)
        if user is None:
            return None, (401, {"error": "unknown or revoked token"})
        return user, None

    def heart_rate(self, body: Any, authorization: str | None) -> Reply:
        user, refused = self._user(authorization)
        if refused:
            return refused
        assert user is not None
        samples = body.get("samples") if isinstance(body, dict) else None
        if not isinstance(samples, list) or not samples:
            return 400, {"error": "expected {\"samples\": [<Open mHealth heart-rate-2.0>, ...]}"}
        if len(samples) > MAX_SAMPLES_PER_BATCH:
            return 413, {"error": f"at most {MAX_SAMPLES_PER_BATCH} samples per batch"}
        now = self.clock()
        parsed: list[tuple[int, int]] = []
        for i, sample in enumerate(samples):
            problem, value = parse_heart_rate(sample, now)
            if problem:
                return 400, {"error": f"samples[{i}]: {problem}"}
            parsed.append(value)
        self.samples.put_samples(user, sorted(set(parsed)), int(now))
        return 202, {"accepted": len(parsed)}
