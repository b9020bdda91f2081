"""Generated sequences of pairing, unpairing, redeeming and waiting, on both stores, checked against a model:
a person has at most one live code, unpairing revokes it, and a code pairs only the person it was issued to,
even when the same digits are drawn for two people. And generated streams of pairing attempts: no minute lets
through more than the limits, whatever addresses and X-Forwarded-For headers the attempts carry."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill.heartrate.pairing import PAIRING_TTL_S, digest, issue_pairing
from skill.heartrate.service import PAIRING_LIMITS
from skill.storage.pairing import DynamoPairingStore, PairingStore, SQLitePairingStore
from skill.storage.sqlite import Database
from skill.storage.stores import sqlite_stores
from skill.web.app import create_app
from tests.robustness.conftest import TRIED
from tests.tables import table_from_template

PEOPLE = ["a" * 64, "b" * 64, "c" * 64]
POOL = ["000001", "000002", "000003"]  # a tiny pool, so that two people draw the same digits
START = 1_795_000_000

operations = st.lists(st.one_of(
    st.tuples(st.just("issue"), st.integers(0, 2), st.lists(st.sampled_from(POOL), max_size=4)),
    st.tuples(st.just("revoke"), st.integers(0, 2), st.just([])),
    st.tuples(st.just("redeem"), st.sampled_from([*POOL, "999999"]), st.just([])),
    st.tuples(st.just("wait"), st.sampled_from([1, 60, PAIRING_TTL_S - 1, PAIRING_TTL_S, PAIRING_TTL_S + 1]),
              st.just([])),
), max_size=25)


def run_against_model(store: PairingStore, steps: list[tuple[Any, Any, list[str]]]) -> None:
    live: dict[str, tuple[str, int]] = {}  # person -> (code, expires_at): what the store should hold
    now = START
    fresh = iter(f"{n:06d}" for n in range(100_000, 200_000))
    for kind, subject, draws in steps:
        if kind == "issue":
            person = PEOPLE[subject]
            taken = {code for p, (code, expires) in live.items() if p != person and expires > now}
            expected = next((d for d in draws if d not in taken), None)
            supply = iter([*draws, next(fresh)])
            code = issue_pairing(store, person, now, new_code=lambda supply=supply: next(supply))
            if expected is not None:
                assert code == expected
            live[person] = (code, now + PAIRING_TTL_S)
        elif kind == "revoke":
            store.revoke(PEOPLE[subject])
            live.pop(PEOPLE[subject], None)
        elif kind == "redeem":
            owner = next((p for p, (code, expires) in live.items() if code == subject and expires > now), None)
            assert store.redeem_pairing(digest(subject), now) == owner
            if owner:
                del live[owner]
        else:
            now += subject
        TRIED["pairing operations"] += 1
    for person, (code, expires) in live.items():  # every code the model holds live still pairs its person
        if expires > now:
            assert store.redeem_pairing(digest(code), now) == person


@given(steps=operations)
def test_pairing_sequences_on_sqlite_match_the_model(steps: list[Any]) -> None:
    run_against_model(SQLitePairingStore(Database()), steps)


@pytest.fixture(scope="module")
def dynamo_table(dynamodb_endpoint: str) -> Any:
    patch = pytest.MonkeyPatch()
    for name, value in {"AWS_ENDPOINT_URL_DYNAMODB": dynamodb_endpoint, "AWS_DEFAULT_REGION": "us-east-1",
                        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}.items():
        patch.setenv(name, value)
    from skill.storage import dynamo

    dynamo.client.cache_clear()
    created = table_from_template("StateTable", f"backcoach-fuzz-{uuid.uuid4().hex[:8]}")
    yield created
    created.delete()
    patch.undo()
    dynamo.client.cache_clear()


@given(steps=operations)
def test_pairing_sequences_on_dynamodb_match_the_model(dynamo_table: Any, steps: list[Any]) -> None:
    store = DynamoPairingStore(dynamo_table.name)
    for person in PEOPLE:  # each example starts from nobody paired
        store.revoke(person)
    run_against_model(store, steps)


# -- the limits ----------------------------------------------------------------------------------------------------

forwarded = st.one_of(st.none(), st.sampled_from(["203.0.113.9", "198.51.100.1, 203.0.113.9", "", ",", "unknown",
                                                  "::1", "[::1]:80", "1.1.1.1,,2.2.2.2"]),
                      st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=40))
attempts = st.lists(st.tuples(st.integers(0, 5), forwarded, st.sampled_from(["123456", "000000", "12345", "x"]),
                              st.integers(0, 20)), min_size=1, max_size=80)


@given(stream=attempts, trusted=st.integers(0, 2))
def test_no_minute_lets_more_attempts_through_than_the_limits(stream: list[Any], trusted: int) -> None:
    stores = sqlite_stores()
    app = create_app(stores, "", verify_signature=False, verify_timestamp=False, trusted_proxies=trusted)
    now = [float(START)]
    app.extensions["backcoach.sync"].clock = lambda: now[0]
    client = app.test_client()
    counted: dict[int, int] = {}
    for peer, header, code, wait in stream:
        now[0] += wait
        headers = {"X-Forwarded-For": header} if header is not None else {}
        answer = client.post("/v1/pair", json={"code": code}, headers=headers,
                             environ_base={"REMOTE_ADDR": f"192.0.2.{peer}"})
        TRIED["pairing attempts"] += 1
        assert answer.status_code in (201, 400, 403, 429)
        if answer.status_code == 403:
            minute = int(now[0]) // 60
            counted[minute] = counted.get(minute, 0) + 1
    everyone = next(rule.attempts for rule in PAIRING_LIMITS if rule.kind == "everyone")
    assert all(n <= everyone for n in counted.values())
    stores.close()
