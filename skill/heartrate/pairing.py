"""Pairing codes: six digits, spoken by Alexa, redeemed once by the companion for a device token."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable

from skill.storage.pairing import PairingStore

PAIRING_TTL_S = 10 * 60
PAIRING_MINUTES = PAIRING_TTL_S // 60
CODE_DRAWS = 20  # with a few live codes among a million, a second draw is already rare


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_pairing_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def issue_pairing(store: PairingStore, user: str, now: int, new_code: Callable[[], str] = new_pairing_code) -> str:
    """A fresh single-use code for `user`, valid for PAIRING_TTL_S seconds, replacing any code issued to them
    before; only its hash is stored. A code live for someone else is never given out: another is drawn."""
    for _ in range(CODE_DRAWS):
        code = new_code()
        if store.save_pairing(digest(code), user, now + PAIRING_TTL_S, now):
            return code
    raise RuntimeError(f"no free pairing code in {CODE_DRAWS} draws")
