"""The audio mode on DynamoDB (moto's server on loopback): what each AudioPlayer event costs in requests."""

from __future__ import annotations

from collections import Counter, defaultdict

import pytest

from skill.bootstrap import build_app
from skill.cli.audio_device import AudioDevice
from skill.cli.chat import Chat
from skill.storage import dynamo
from skill.storage.stores import dynamo_stores
from tests.conftest import START
from tests.functional.audio_fixtures import library
from tests.integration.conftest import DynamoCalls


class CountingDevice(AudioDevice):
    def __init__(self, *args, calls: DynamoCalls, **kwargs) -> None:
        self.calls = calls
        self.per_event: dict[str, list[Counter]] = defaultdict(list)
        super().__init__(*args, **kwargs)

    def send(self, kind, token, offset_ms, at_ms):
        before = Counter(self.calls.counts)
        try:
            return super().send(kind, token, offset_ms, at_ms)
        finally:
            self.per_event[kind.removeprefix("AudioPlayer.")].append(Counter(self.calls.counts) - before)


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    return library(tmp_path_factory.mktemp("clips"))


def test_each_event_costs_at_most_one_read_and_one_write(table, content, nlu, clips) -> None:
    stores = dynamo_stores(table.name)
    calls = DynamoCalls(dynamo.client())
    chat = Chat(build_app(stores, content, clips=clips), nlu, content, start_at=START)
    device = CountingDevice(chat, clips.duration_ms, calls=calls)
    spoken = Counter()

    def say(line: str) -> None:
        before = Counter(calls.counts)
        chat.say(line)
        spoken.update(Counter(calls.counts) - before)

    say("ask back coach to start my back workout")
    device.play_until(device.now_ms + 90_000)
    say("alexa pause")
    say("alexa resume")
    device.play_to_end()
    assert stores.records.load(chat.user)["workout"]["phase"] == "finished"
    last = device.per_event["PlaybackFinished"].pop()  # the workout's end: the record, and its log (as in speech)
    assert last == Counter({"GetItem": 1, "PutItem": 2, "UpdateItem": 2})  # the log in its month, the month listed
    for kind, costs in device.per_event.items():
        for cost in costs:
            assert cost["GetItem"] <= 1 and cost["PutItem"] <= 1 and set(cost) <= {"GetItem", "PutItem"}, (kind, cost)
    assert all(sum(c.values()) == 1 for c in device.per_event["PlaybackNearlyFinished"])  # a read, no write
    assert all(c["PutItem"] == 1 for c in device.per_event["PlaybackStopped"])  # the exact place, saved
    # A clip starting writes nothing: the events and commands that follow name their clip (issue 27).
    assert all(c.get("PutItem", 0) == 0 for c in device.per_event["PlaybackStarted"])
    record_writes = spoken["PutItem"] + sum(c["PutItem"] for v in device.per_event.values() for c in v) + 1
    # The start, the end, and one per explicit command or stop: pause (the command, then the exact place), resume.
    assert record_writes <= 3 + 2, (spoken, {k: sum(c["PutItem"] for c in v) for k, v in device.per_event.items()})
    print("record writes in this audio workout:", record_writes)
    totals = {k: sum(sum(c.values()) for c in v) / len(v) for k, v in device.per_event.items()}
    print("DynamoDB requests per event:", {k: round(v, 2) for k, v in sorted(totals.items())})
