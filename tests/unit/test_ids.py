"""Alexa's id shapes and the keys built from them: real ids pass, forged ones do not, and no two different
(user, person) pairs share a record key or a person hash, while every key already stored stays what it was."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from skill.alexa.ids import (
    BadId,
    envelope_id_problem,
    is_alexa_id,
    person_hash,
    record_key_of,
    split_record_key,
)

# Real ids as Alexa sends them (upper-case letters and digits after the prefix), and the ones the tests use.
REAL_USER = ("amzn1.ask.account.AG3ULPXTOC7KLBQJVJMISQX6L25DVFQXO2ZYTOKDDWES3M2UTH5WDCTSY2SAKNFSGI7BDQWWRFS5NOEQMCPY3L"
             "BOE5NN2M6QIS43RBKGDQG3PV6QLNJMQSXONM6HUTIFG7GK4MWEB7RDDZ32NDVMVRFXP6L6ZI433SCXBEM3XNX57XT4MB25T4UA3EPJZ6")
REAL_PERSON = "amzn1.ask.person.AKYSF36TDUMFU2FR55OJTXO5B53QVL2RZY37C5AOFV6FG2TORRK574KTJ62BAFTP32HZGGSX3SPNLLTMZM4Z"
FORGED = "amzn1.ask.account.B#person#amzn1.ask.person.P"

values = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-", min_size=1,
                 max_size=40)
users = values.map(lambda v: f"amzn1.ask.account.{v}")
people = st.one_of(st.just(""), values.map(lambda v: f"amzn1.ask.person.{v}"))


def test_real_ids_and_the_local_ones_have_alexas_shape() -> None:
    assert is_alexa_id("user", REAL_USER) and is_alexa_id("person", REAL_PERSON)
    for kind, value in (("user", "amzn1.ask.account.local-user"), ("person", "amzn1.ask.person.sam"),
                        ("device", "amzn1.ask.device.local-echo"), ("device", "amzn1.ask.device.AEXAMPLE_1.2")):
        assert is_alexa_id(kind, value), value


@pytest.mark.parametrize("value", [
    FORGED, "", "amzn1.ask.account.", "amzn1.ask.person.P", "AMZN1.ASK.ACCOUNT.X", "amzn1.ask.account.a b",
    "amzn1.ask.account.a/../b", "amzn1.ask.account.x\n", "amzn1.ask.account.é", "amzn1.ask.account." + "A" * 513,
    " amzn1.ask.account.x", None, 7, ["amzn1.ask.account.x"],
])
def test_anything_else_is_not_a_user_id(value: object) -> None:
    assert not is_alexa_id("user", value)


def test_existing_keys_and_hashes_are_unchanged() -> None:
    """A user's shared profile is keyed by the user id itself, a voice's by the `#person#` key stored since
    voices got profiles, and the person hash is the SHA-256 of that key: no stored record, log or upload moves."""
    assert record_key_of(REAL_USER) == REAL_USER
    assert record_key_of(REAL_USER, REAL_PERSON) == f"{REAL_USER}#person#{REAL_PERSON}"
    assert person_hash("amzn1.ask.account.local-user") == hashlib.sha256(b"amzn1.ask.account.local-user").hexdigest()
    key = f"{REAL_USER}#person#{REAL_PERSON}"
    assert person_hash(REAL_USER, REAL_PERSON) == hashlib.sha256(key.encode()).hexdigest()


def test_the_forged_id_makes_no_key() -> None:
    for build in (lambda: record_key_of(FORGED), lambda: person_hash(FORGED),
                  lambda: record_key_of("amzn1.ask.account.B", "amzn1.ask.person.P#person#amzn1.ask.person.Q")):
        with pytest.raises(BadId) as raised:
            build()
        assert "#" not in str(raised.value) and "amzn1" not in str(raised.value)  # it names no id


@given(users, people, users, people)
def test_no_two_different_pairs_share_a_key(user_a: str, person_a: str, user_b: str, person_b: str) -> None:
    """No checked id contains `#`, so a key splits back into exactly the pair it was built from."""
    key_a, key_b = record_key_of(user_a, person_a), record_key_of(user_b, person_b)
    assert split_record_key(key_a) == (user_a, person_a)
    assert (key_a == key_b) == ((user_a, person_a) == (user_b, person_b))
    assert (person_hash(user_a, person_a) == person_hash(user_b, person_b)) == (key_a == key_b)


def test_an_envelope_names_its_bad_id_without_the_id() -> None:
    def envelope(user: object = "amzn1.ask.account.A", person: object = None, device: object = None,
                 session_user: object = None) -> dict:
        system: dict = {"user": {"userId": user}}
        if person is not None:
            system["person"] = {"personId": person}
        if device is not None:
            system["device"] = {"deviceId": device}
        body: dict = {"context": {"System": system}, "request": {"type": "LaunchRequest"}}
        if session_user is not None:
            body["session"] = {"user": {"userId": session_user}}
        return body

    assert envelope_id_problem(envelope(person="amzn1.ask.person.P", device="amzn1.ask.device.D")) == ""
    assert envelope_id_problem(envelope(user=FORGED)) == "the user id is not an Alexa user id"
    assert envelope_id_problem(envelope(user=None)) == "the user id is not an Alexa user id"
    assert envelope_id_problem(envelope(session_user=FORGED)) == "the user id is not an Alexa user id"
    assert envelope_id_problem(envelope(person="amzn1.ask.person.P#x")) == "the person id is not an Alexa person id"
    assert envelope_id_problem(envelope(device="amzn1.ask.device.x/../y")) == "the device id is not an Alexa device id"
