"""Pairing codes on both stores (SQLite, and DynamoDB on moto's server): one live code per person, revoked on
unpair, unique among live codes; and the pairing rate limit, keyed on the client a trusted proxy reports and
on the code, counted in the store so that it holds across Lambda containers."""

from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask

from skill.heartrate.pairing import PAIRING_TTL_S, digest, issue_pairing
from skill.heartrate.service import PAIRING_LIMITS, SyncService
from skill.storage.pairing import DynamoPairingStore, PairingStore, SQLitePairingStore
from skill.storage.samples import SQLiteSampleStore
from skill.storage.sqlite import Database
from skill.storage.stores import sqlite_stores
from skill.web.app import create_app
from skill.web.sync import sync_blueprint

ALEX, SAM = "a" * 64, "b" * 64  # hashed Alexa user ids
NOW = 1_795_000_000


@pytest.fixture(params=["sqlite", "dynamodb"])
def pairing(request: pytest.FixtureRequest) -> PairingStore:
    if request.param == "sqlite":
        return SQLitePairingStore(Database())
    return DynamoPairingStore(request.getfixturevalue("table").name)


def redeem(store: PairingStore, code: str, now: int = NOW) -> str | None:
    return store.redeem_pairing(digest(code), now)


def test_unpairing_revokes_the_code_issued_before_it(pairing: PairingStore) -> None:
    code = issue_pairing(pairing, ALEX, NOW)
    pairing.revoke(ALEX)
    assert redeem(pairing, code) is None


def test_pairing_three_times_leaves_only_the_last_code(pairing: PairingStore) -> None:
    codes = [issue_pairing(pairing, ALEX, NOW + i) for i in range(3)]
    assert len(set(codes)) == 3
    assert [redeem(pairing, code, NOW + 5) for code in codes] == [None, None, ALEX]


def test_a_code_live_for_someone_else_is_never_given_again(pairing: PairingStore) -> None:
    drawn = iter(["123456", "123456", "123456", "654321"])
    alex = issue_pairing(pairing, ALEX, NOW, new_code=lambda: next(drawn))
    sam = issue_pairing(pairing, SAM, NOW, new_code=lambda: next(drawn))
    assert (alex, sam) == ("123456", "654321")
    assert redeem(pairing, "123456") == ALEX and redeem(pairing, "654321") == SAM


def test_the_store_refuses_a_live_code_and_reuses_an_expired_one(pairing: PairingStore) -> None:
    code = digest("111111")
    assert pairing.save_pairing(code, ALEX, NOW + 60, NOW) is True
    assert pairing.save_pairing(code, SAM, NOW + 60, NOW + 10) is False  # live for Alex: Sam gets another
    assert pairing.save_pairing(code, ALEX, NOW + 70, NOW + 10) is True  # the same person may draw it again
    assert pairing.save_pairing(code, SAM, NOW + 200, NOW + 71) is True  # expired: free for anyone
    assert pairing.redeem_pairing(code, NOW + 72) == SAM


def test_a_code_redeemed_or_revoked_is_gone_and_the_next_issue_works(pairing: PairingStore) -> None:
    first = issue_pairing(pairing, ALEX, NOW)
    assert redeem(pairing, first) == ALEX
    second = issue_pairing(pairing, ALEX, NOW + 1)
    pairing.revoke(ALEX)
    pairing.revoke(ALEX)  # twice is fine
    third = issue_pairing(pairing, ALEX, NOW + 2)
    assert redeem(pairing, second, NOW + 3) is None and redeem(pairing, third, NOW + 3) == ALEX


def test_attempts_are_counted_per_key_and_window(pairing: PairingStore) -> None:
    assert [pairing.count_attempt("k1", NOW + 60) for _ in range(3)] == [1, 2, 3]
    assert pairing.count_attempt("k2", NOW + 60) == 1
    assert pairing.count_attempt("k1", NOW + 120) == 1  # a new window starts from zero


# -- the rate limit ------------------------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = float(NOW)

    def __call__(self) -> float:
        return self.now


def limit(kind: str) -> int:
    return next(rule.attempts for rule in PAIRING_LIMITS if rule.kind == kind)


def web_client(trusted_proxies: int, clock: Clock) -> tuple[Any, Any]:
    """The sync API as `backcoach serve` runs it (the whole app), behind `trusted_proxies` reverse proxies."""
    stores = sqlite_stores()
    app = create_app(stores, "", verify_signature=False, verify_timestamp=False, trusted_proxies=trusted_proxies)
    app.extensions["backcoach.sync"].clock = clock
    return app.test_client(), stores


def pair(client: Any, code: str, forwarded_for: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post("/v1/pair", json={"code": code, "device": "watch"}, headers=headers).status_code


def test_behind_a_trusted_proxy_one_guesser_does_not_block_everyone(caplog: pytest.LogCaptureFixture) -> None:
    clock = Clock()
    client, stores = web_client(1, clock)
    guesses = [pair(client, f"{n:06d}", "203.0.113.9") for n in range(limit("client") + 3)]
    assert guesses.count(403) == limit("client") and guesses[-3:] == [429] * 3
    code = issue_pairing(stores.pairing, ALEX, int(clock.now))
    assert pair(client, code, "198.51.100.7") == 201  # someone else, through the same proxy, pairs at once


def test_without_a_trusted_proxy_a_forwarded_for_header_is_not_believed(caplog: pytest.LogCaptureFixture) -> None:
    client, _ = web_client(0, Clock())
    answers = [pair(client, f"{n:06d}", f"192.0.2.{n}") for n in range(limit("client") + 2)]
    assert answers[-2:] == [429, 429]  # a new address per request is no new bucket
    assert caplog.text.count("BACKCOACH_TRUSTED_PROXIES") == 1  # said once, not on every request


def test_a_client_cannot_spoof_the_address_the_trusted_proxy_appends() -> None:
    client, _ = web_client(1, Clock())
    answers = [pair(client, f"{n:06d}", f"192.0.2.{n}, 203.0.113.9") for n in range(limit("client") + 2)]
    assert answers[-2:] == [429, 429]


def lambda_event(code: str, source_ip: str) -> dict[str, Any]:
    return {"version": "2.0", "rawPath": "/v1/pair", "headers": {"content-type": "application/json"},
            "body": json.dumps({"code": code}), "isBase64Encoded": False,
            "requestContext": {"http": {"method": "POST", "sourceIp": source_ip}}}


def containers(table: Any, count: int, clock: Clock) -> list[SyncService]:
    """`count` Lambda execution environments of the sync function: each its own service and limits, one table."""
    return [SyncService(DynamoPairingStore(table.name), SQLiteSampleStore(Database()), clock=clock)
            for _ in range(count)]


def test_the_limit_per_client_holds_across_lambda_containers(table: Any) -> None:
    from skill.heartrate.api_gateway import handle

    clock = Clock()
    services = containers(table, 3, clock)
    answers = [handle(services[n % 3], lambda_event(f"{n:06d}", "203.0.113.9"))["statusCode"] for n in range(30)]
    assert answers.count(403) == limit("client") and answers.count(429) == 30 - limit("client")


def test_guessing_from_many_addresses_through_many_processes_is_bounded() -> None:
    """The figure the README gives: over a code's whole life, at most 11 windows of the everyone limit. (Four
    processes on one SQLite file, for speed; the DynamoDB counters are shared the same way, as above.)"""
    from skill.heartrate.api_gateway import handle

    clock = Clock()
    clock.now = NOW + 30  # a code issued mid-window: its 10 minutes touch 11 one-minute windows
    shared = Database()
    services = [SyncService(SQLitePairingStore(shared), SQLiteSampleStore(shared), clock=clock) for _ in range(4)]
    tried = 0
    for second in range(PAIRING_TTL_S):
        for n in range(3):  # three guesses a second, each from a new address, spread over the processes
            event = lambda_event(f"{(second * 3 + n) % 10**6:06d}", f"10.{n}.{second // 256}.{second % 256}")
            tried += handle(services[(second + n) % 4], event)["statusCode"] != 429
        clock.now += 1
    assert tried == 11 * limit("everyone")
    assert 11 * limit("everyone") / 10**6 <= 0.0005  # under 0.05 % for one live code


def test_the_same_code_cannot_be_tried_again_and_again() -> None:
    clock = Clock()
    stores = sqlite_stores()
    app = Flask("sync-test")
    app.register_blueprint(sync_blueprint(SyncService(stores.pairing, stores.samples, clock=clock)))
    client = app.test_client()
    answers = []
    for n in range(limit("code") + 2):
        answers.append(client.post("/v1/pair", json={"code": "424242"},
                                   environ_base={"REMOTE_ADDR": f"192.0.2.{n}"}).status_code)
    assert answers[-2:] == [429, 429] and answers.count(403) == limit("code")


def test_nothing_stored_names_a_client_address() -> None:
    stores = sqlite_stores()
    app = create_app(stores, "", verify_signature=False, verify_timestamp=False, trusted_proxies=1)
    client = app.test_client()
    pair(client, "000000", "203.0.113.9")
    stored = json.dumps(stores.pairing.db.rows("SELECT * FROM attempts"))
    assert "203.0.113.9" not in stored and "000000" not in stored
