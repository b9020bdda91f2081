"""Conversation fuzzing: random launches, every intent of the model with valid, unknown, empty and missing
slots, sessions ending for every reason, new sessions and a second Echo, every other request type Alexa
documents (player events, buttons, touches, reports, consents, CanFulfillIntentRequest for every intent) and one
it has not invented yet, through the real skill (the App every entry runs) with real envelopes. Invariants
after every request: no apology for a valid request and the answer's shape Alexa documents for its type; valid
SSML under Alexa's limits, with a reprompt when the session stays open; the session carries no copy of the
record, the stored record never goes back a version, and its position is a valid place in the workout."""

from __future__ import annotations

import hashlib
import json
import uuid

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from skill.alexa.interaction_model import load_model
from skill.bootstrap import build_app
from skill.cli import envelopes
from skill.content import load_content
from skill.engine.coach import Coach
from skill.engine.state import WorkoutState
from skill.settings import STRAVA
from skill.speech import prompts
from skill.speech.ssml import BUDGET, Speech, check
from skill.storage.stores import sqlite_stores
from tests.request_types import SESSIONLESS, TYPES, request_of, shape_problems
from tests.robustness.conftest import TRIED

MODEL = load_model()["interactionModel"]["languageModel"]
INTENTS = {i["name"]: {s["name"]: s["type"] for s in i.get("slots", [])} for i in MODEL["intents"]}
TYPE_VALUES = {t["name"]: [(v["id"], v["name"]["value"]) for v in t["values"]] for t in MODEL["types"]}
USER = envelopes.user_id("fuzz")
TOKEN = "linked-account-token"
CONTENT = load_content()
COACH = Coach(CONTENT, Speech(CONTENT).measure, BUDGET)


def slot_variant(name: str, slot_type: str, kind: str, pick: int) -> dict | None:
    """One slot as Alexa could send it: matched, unmatched, empty, or left out (None)."""
    if kind == "missing":
        return None
    if kind == "empty":
        return envelopes.empty_slot(name)
    if slot_type.startswith("AMAZON."):
        value = {"matched": str(60 + pick % 120), "unknown": "?"}[kind]
        return {**envelopes.empty_slot(name), "value": value, "source": "USER"}
    values = TYPE_VALUES[slot_type]
    if kind == "matched":
        value_id, value = values[pick % len(values)]
        return envelopes.slot_value(name, value, (value_id, value), slot_type)
    return envelopes.slot_value(name, "purple dumbbell dance", None, slot_type)


class Conversations(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.stores = sqlite_stores()
        self.store = self.stores.records
        # Uploads on, with a linked account: the offer, yes, no and "send my workout" are in every conversation.
        self.app = build_app(self.stores, CONTENT, upload_service=STRAVA)
        self.now = 1_795_000_000.0
        self.sessions: dict[str, tuple[str, dict]] = {}  # device -> (session id, attributes), while open
        self.last: dict | None = None
        self.version = 0  # the stored record's version after the last request

    def send(self, device: str, request: dict) -> dict:
        open_session = self.sessions.get(device)
        new = open_session is None
        session_id, attributes = open_session or (f"amzn1.echo-api.session.{uuid.uuid4()}", {})
        body = envelopes.envelope(request, user=USER, device=envelopes.device_id(device), session_id=session_id,
                                  new_session=new, attributes=attributes, access_token=TOKEN)
        kind = request["type"]
        if kind.startswith(SESSIONLESS):
            del body["session"]
        response = json.loads(json.dumps(self.app.handle(json.loads(json.dumps(body))), default=str))
        TRIED["requests handled"] += 1
        if kind.startswith(SESSIONLESS) or kind == "CanFulfillIntentRequest":
            pass  # no session of their own: an open one stays as it was
        elif kind == "SessionEndedRequest" or response["response"].get("shouldEndSession") is not False:
            self.sessions.pop(device, None)
        else:
            self.sessions[device] = (session_id, response.get("sessionAttributes") or {})
        self.check(request, response)
        if "Sending it to Strava" in json.dumps(response):
            TRIED["uploads queued by voice"] += 1
        self.last = response
        return response

    def check(self, request: dict, response: dict) -> None:
        body = response["response"]
        if request["type"] in TYPES:
            assert shape_problems(request["type"], response) == [], (request, response)
        elif request["type"] == "SessionEndedRequest":
            assert "outputSpeech" not in body
        else:
            ssml = body["outputSpeech"]["ssml"]
            assert prompts.APOLOGY not in ssml, request
            assert check(ssml) == [], ssml[:300]
            if body.get("shouldEndSession") is False:
                assert check(body["reprompt"]["outputSpeech"]["ssml"]) == []
        # The session carries no copy of the record (each turn reads the store), and with every write landing
        # nothing is left unsaved; the stored record only moves forward.
        attributes = response.get("sessionAttributes") or {}
        assert "record" not in attributes and "unsaved" not in attributes, sorted(attributes)
        stored = self.store.load(USER)
        version = stored["version"] if stored else 0
        assert version >= self.version
        self.version = version

    @rule(device=st.sampled_from(["kitchen", "lounge"]), seconds=st.one_of(
        st.integers(0, 20), st.integers(20, 400), st.integers(3600, 3 * 86_400)))
    def wait_then_launch(self, device: str, seconds: int) -> None:
        self.now += seconds
        self.send(device, envelopes.launch_request(self.now))

    @rule(device=st.sampled_from(["kitchen", "lounge"]), intent=st.sampled_from(sorted(INTENTS)),
          kinds=st.lists(st.sampled_from(["matched", "unknown", "empty", "missing"]), min_size=2, max_size=2),
          pick=st.integers(0, 500), seconds=st.one_of(st.integers(0, 30), st.integers(30, 300)))
    def say(self, device: str, intent: str, kinds: list[str], pick: int, seconds: int) -> None:
        self.now += seconds
        slots = {}
        for (name, slot_type), kind in zip(INTENTS[intent].items(), kinds, strict=False):
            value = slot_variant(name, slot_type, kind, pick)
            if value is not None:
                slots[name] = value
        self.send(device, envelopes.intent_request(intent, self.now, slots))

    @rule(device=st.sampled_from(["kitchen", "lounge"]), answer=st.sampled_from(
        ["AMAZON.YesIntent", "AMAZON.NoIntent", "UploadWorkoutIntent", "AMAZON.StopIntent", "AMAZON.NextIntent"]))
    def work_to_the_end_then_answer(self, device: str, answer: str) -> None:
        """Next, a few minutes apart, until the workout is done; then an answer to the upload offer."""
        for _ in range(8):
            self.now += 240
            response = self.send(device, envelopes.intent_request("AMAZON.NextIntent", self.now))
            if "upload_offer" in json.dumps(response) or response["response"].get("shouldEndSession") is not False:
                break
        self.now += 240
        self.send(device, envelopes.intent_request(answer, self.now))

    @rule(device=st.sampled_from(["kitchen", "lounge"]), kind=st.sampled_from(sorted(TYPES)),
          seconds=st.integers(0, 120))
    def another_request_type(self, device: str, kind: str, seconds: int) -> None:
        """Any other request type Alexa sends (a player's event, a button, a touch, a report, a consent...)."""
        self.now += seconds
        self.send(device, request_of(kind, self.now))
        TRIED[f"type {kind}"] += 1

    @rule(device=st.sampled_from(["kitchen", "lounge"]), intent=st.sampled_from(sorted(INTENTS)),
          kinds=st.lists(st.sampled_from(["matched", "unknown", "empty", "missing"]), min_size=2, max_size=2),
          pick=st.integers(0, 500))
    def can_you_fulfil(self, device: str, intent: str, kinds: list[str], pick: int) -> None:
        """CanFulfillIntentRequest for any intent and slots: an answer of the documented shape, nothing stored."""
        before = self.store.load(USER)
        slots = {}
        for (name, slot_type), kind in zip(INTENTS[intent].items(), kinds, strict=False):
            value = slot_variant(name, slot_type, kind, pick)
            if value is not None:
                slots[name] = value
        request = envelopes.intent_request(intent, self.now, slots)
        request["type"] = "CanFulfillIntentRequest"
        self.send(device, request)
        assert self.store.load(USER) == before
        TRIED["can fulfill requests"] += 1

    @rule(device=st.sampled_from(["kitchen", "lounge"]),
          reason=st.sampled_from(["USER_INITIATED", "ERROR", "EXCEEDED_MAX_REPROMPTS"]))
    def session_ends(self, device: str, reason: str) -> None:
        if device in self.sessions:
            self.now += 8
            self.send(device, envelopes.session_ended_request(reason, self.now))

    @invariant()
    def saved_position_is_a_place_in_the_workout(self) -> None:
        if self.last is None:
            return
        stored = next(iter(self.store.db.rows("SELECT data FROM attributes")), None)
        if stored:
            raw = json.loads(stored[0]).get("workout")
            state = WorkoutState.from_dict(raw)
            assert (raw is None) == (state is None)
            assert state is None or COACH.plan(state) is not None

    @invariant()
    def a_queued_upload_is_a_finished_workout_sent_once(self) -> None:
        jobs = self.stores.uploads.uploads(hashlib.sha256(USER.encode()).hexdigest())
        logged = {log["started_at_ms"] for log in self.stores.logs.logs(hashlib.sha256(USER.encode()).hexdigest())}
        assert len({(j.service, j.started_at_ms) for j in jobs}) == len(jobs)
        assert all(j.started_at_ms in logged and j.token == TOKEN for j in jobs)

    def teardown(self) -> None:
        self.stores.close()


TestConversations = Conversations.TestCase
