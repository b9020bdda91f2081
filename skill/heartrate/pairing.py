"""Pairing codes: six digits, spoken by Alexa, redeemed once by the companion for a device token."""

from __future__ import annotations

import hashlib
import secrets

from skill.storage.pairing import PairingStore

PAIRING_TTL_S = 10 * 60
PAIRING_MINUTES = PAIRING_TTL_S // 60


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_pairing_code() -> str:
    return f"{secrets.randbelow(10**6):06d}"


def issue_pairing(store: PairingStore, user: str, now: int) -> str:
    """A fresh single-use code for `user`, valid for PAIRING_TTL_S seconds; only its hash is stored."""
    code = new_pairing_code()
    store.save_pairing(digest(code), user, now + PAIRING_TTL_S)
    return code
