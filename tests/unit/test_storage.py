from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from ask_sdk_core.serialize import DefaultSerializer
from ask_sdk_model import RequestEnvelope

from skill.cli import envelopes
from skill.storage.sqlite import SQLitePersistenceAdapter


def envelope_for(user: str) -> RequestEnvelope:
    body = envelopes.envelope(envelopes.launch_request(0), user=envelopes.user_id(user), device="d",
                              session_id="s", new_session=True)
    return DefaultSerializer().deserialize(json.dumps(body), RequestEnvelope)


def test_sqlite_store_keeps_each_users_attributes_across_restarts(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "coach.sqlite3"
    store = SQLitePersistenceAdapter(path)
    alice, bob = envelope_for("alice"), envelope_for("bob")
    assert store.get_attributes(alice) == {}
    store.save_attributes(alice, {"workout": {"round": Decimal(2), "set": 1}})
    store.save_attributes(bob, {"workout": None})
    store.close()
    reopened = SQLitePersistenceAdapter(path)
    assert reopened.get_attributes(alice) == {"workout": {"round": 2, "set": 1}}
    reopened.delete_attributes(alice)
    assert reopened.get_attributes(alice) == {} and reopened.get_attributes(bob) == {"workout": None}
