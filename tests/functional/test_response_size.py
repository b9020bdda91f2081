"""Every response stays within Alexa's 24 KB however many workouts a person has done (issue 31): the largest
response of each kind on an Echo Show, for a person with 0, 100 and 1,000 past workouts."""

from __future__ import annotations

import json
from collections import defaultdict

import pytest

from skill.cli.nlu import Nlu
from skill.content.schema import Content
from skill.engine.coaching import Coaching
from skill.engine.record import HistoryEntry, PersonRecord
from skill.storage.stores import Stores
from tests.conftest import START
from tests.screens import renders, run, show_chat, size

START_MS, DAY = int(START * 1000), 86_400_000
MAX_RESPONSE_BYTES = 24 * 1024  # Alexa's limit on a whole response (FACTS.md)
USER = "amzn1.ask.account.local-user"


def _seed(store: Stores, content: Content, past: int) -> None:
    """`past` finished full sessions, one a day, each with every move done at its hardest step: the record as
    the skill would hold it and a log per workout in the activity store."""
    hardest = {ex: steps[-1] for ex in content.exercises if (steps := content.guide.ladder_of(ex))}
    complete = tuple(content.exercises)
    entries = []
    for day in range(past, 0, -1):
        start = START_MS - day * DAY
        entries.append(HistoryEntry("full_session", start, start + 900_000, "2026-11-01", 40, ("band", "dumbbell"),
                                    "finished", complete=complete, steps=hardest))
        store.logs.save_log(USER, {"workout": "full_session", "status": "finished", "started_at_ms": start,
                                   "finished_at_ms": start + 900_000, "sets": []})
    record = PersonRecord(history=tuple(entries), taught=complete,
                          coaching=Coaching(steps=hardest, streak=past // 5))
    store.records.save(USER, record.to_dict(), 1)


def _kind(exchange) -> str:
    """What kind of response this is: its request and the screen it shows."""
    request = exchange.request["request"]
    shown = renders(exchange)
    kind = request.get("intent", {}).get("name") or request["type"]
    return f"{kind} -> {shown[0]['token'] if shown else 'no screen'}"


@pytest.mark.parametrize("past", [0, 100, 1000])
def test_the_largest_response_of_every_kind_fits_on_a_screen_device(content: Content, nlu: Nlu, store: Stores,
                                                                    past: int) -> None:
    _seed(store, content, past)
    history = run(show_chat(store, content, nlu))
    largest: dict[str, int] = defaultdict(int)
    for exchange in history:
        largest[_kind(exchange)] = max(largest[_kind(exchange)], size(exchange))
        assert len(json.dumps(exchange.response.get("sessionAttributes") or {})) < 2048, exchange.said
    print(f"{past} past workouts, largest of each kind:", json.dumps(largest, indent=1))
    assert len(largest) >= 10  # the tour shows every screen: launch, workout, paused, explained, finished, week...
    assert max(largest.values()) <= MAX_RESPONSE_BYTES, max(largest.items(), key=lambda kv: kv[1])
