"""A local Echo: typed words become real Alexa request envelopes for the real skill; speech comes back as text.

Time is simulated: a plain line is spoken just after the previous response finished (its length estimated
by skill.speech.timing), and `@SECONDS words` is spoken that many seconds after it began, as a barge-in.
On a device with a screen (`device_kind="show"`), `tap next` (pause, resume, repeat) touches a button.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import textwrap
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from skill.cli import envelopes
from skill.cli.nlu import Nlu, Resolution, words
from skill.cli.screen_text import screen_line, screen_token
from skill.companion.simulated import SimulatedWearable
from skill.companion.stream import Companion
from skill.content.schema import Content
from skill.engine.plan import REST, build_plan
from skill.engine.state import WorkoutState
from skill.speech.base import part_label
from skill.speech.readable import to_text
from skill.speech.timing import WORDS_PER_MINUTE, estimate_seconds

GAP_SECONDS = 1.0  # between the end of a response and a reply that does not interrupt it
MIC_WINDOW_SECONDS = 16.0  # about 8 s of listening, the reprompt, about 8 s more: then Alexa ends the session
if TYPE_CHECKING:
    from skill.bootstrap import App
    from skill.cli.audio_device import AudioDevice
    from skill.storage.stores import Stores

_BARGE_IN = re.compile(r"@(\d+(?:\.\d+)?)\s+(.+)")
_TAP = re.compile(r"tap (\w+)")
BUILT_IN = "AMAZON."  # Alexa's own intents: routed by Alexa, never asked about with CanFulfillIntentRequest


@dataclass(frozen=True)
class Exchange:
    """One request and the skill's response, as the tests and the printer see them."""

    said: str
    request: dict[str, Any]
    response: dict[str, Any]
    at: float  # epoch seconds the request was made
    ssml: str
    text: str
    seconds: float  # estimated length of the response's speech
    record: dict[str, Any] | None = None  # the person's stored record after this request (the chat's own view)

    @property
    def ends_session(self) -> bool:
        return bool(self.response["response"].get("shouldEndSession"))

    @property
    def reprompt_ssml(self) -> str:
        reprompt = self.response["response"].get("reprompt") or {}
        return (reprompt.get("outputSpeech") or {}).get("ssml", "")

    @property
    def workout(self) -> WorkoutState | None:
        return WorkoutState.from_dict((self.record or {}).get("workout"))


class Chat:
    def __init__(
        self,
        app: App,
        nlu: Nlu,
        content: Content,
        *,
        user: str = "local-user",
        device: str = "local-echo",
        start_at: float | None = None,
        realtime: bool = False,
        show: Callable[[str], None] | None = None,
        speak: bool = False,
        show_timeline: bool = True,
        wearable: WearableLink | None = None,
        access_token: str = "",
        uploads: Callable[[], list[str]] | None = None,
        person: str = "",
        api_endpoint: str = envelopes.NO_API,
        device_kind: str = "speaker",
    ) -> None:
        """`access_token` plays the account the person linked; `uploads` runs the uploads that are due after
        each turn and says what happened, as the deployed upload worker would; `person` plays a voice Alexa
        recognises (a person id in each request; "" for an unrecognised one); `api_endpoint` is the apiEndpoint
        the requests name (Alexa's APIs, or a local stand-in)."""
        self.app = app
        self.nlu = nlu
        self.content = content
        self.user = envelopes.user_id(user)
        self.device = envelopes.device_id(device)
        self.realtime = realtime
        self.clock = float(int(time.time() if start_at is None else start_at))
        self.show = show
        self.speak = speak and shutil.which("espeak-ng") is not None
        self.show_timeline = show_timeline
        self.session_id = ""
        self.session_open = False
        self.attributes: dict[str, Any] = {}
        self.last_start: float | None = None
        self.last_seconds = 0.0
        self.history: list[Exchange] = []
        self.wearable = wearable
        self.access_token = access_token
        self.uploads = uploads
        self.person = envelopes.person_id(person) if person else ""
        self.api_endpoint = api_endpoint
        self.device_kind = device_kind
        self.player: AudioDevice | None = None  # a device with an AudioPlayer (skill.cli.audio_device)
        self.name_free: list[tuple[str, str]] = []  # (intent, YES / MAYBE / NO) for each name-free line
        self._note = ""  # what the name-free routing did, printed under the line it was about

    # -- time ----------------------------------------------------------------------------------------

    def _when(self, barge_in: float | None) -> float:
        if self.realtime:
            if barge_in is not None and self.last_start is not None:
                time.sleep(max(0.0, self.last_start + barge_in - time.time()))
            return time.time()
        if self.last_start is None:
            return self.clock
        if barge_in is not None:
            return self.last_start + barge_in
        return self.last_start + self.last_seconds + GAP_SECONDS

    def speaker(self, person: str) -> None:
        """Who speaks next: a recognised voice by name, or "" for one Alexa does not recognise. A new voice
        starts a new session, as on an Echo."""
        self.person = envelopes.person_id(person) if person else ""
        self.session_open = False
        self.session_id = ""

    def now(self) -> float:
        """The simulated time by which everything said so far has been heard."""
        return self._when(None)

    def wait(self, seconds: float) -> None:
        """Let simulated time pass without speaking (a long pause, a new day)."""
        self.clock = self._when(None) + seconds
        self.last_start = None

    # -- conversation --------------------------------------------------------------------------------

    def say(self, line: str) -> Exchange | None:
        """Speak one line to the device; None for a blank line, a comment, or a line said without the skill's
        name that the skill says it cannot fulfil (Alexa would give it to another skill or answer it itself)."""
        line = line.strip()
        if not line or line.startswith("#"):
            return None
        barge = _BARGE_IN.fullmatch(line)
        text = barge.group(2) if barge else line
        at = self._when(float(barge.group(1)) if barge else None)
        if self.session_open and self.last_start is not None and not barge:
            window_closes = self.last_start + self.last_seconds + MIC_WINDOW_SECONDS
            if at > window_closes:
                self.end_session("EXCEEDED_MAX_REPROMPTS", window_closes)
        tap = _TAP.fullmatch(text.lower()) if self.device_kind == "show" else None
        if tap:
            token = screen_token(self.history[-1].response) if self.history else ""
            request, new_session = envelopes.user_event_request([tap.group(1)], at, token), not self.session_open
        else:
            routed = self._request_for(text, at)
            if routed is None:
                if self.show is not None:
                    self.show(f"you> {text}")
                    self.show(f"       {self._note}")
                self._note = ""
                return None
            request, new_session = routed
        return self._send(text if not barge else line, request, new_session, at)

    def end_session(self, reason: str = "EXCEEDED_MAX_REPROMPTS", at: float | None = None) -> Exchange | None:
        """What Alexa sends when the session closes without the skill ending it."""
        if not self.session_open:
            return None
        when = at if at is not None else self._when(None) + MIC_WINDOW_SECONDS
        return self._send(f"({reason.lower().replace('_', ' ')})",
                          envelopes.session_ended_request(reason, when), False, when)

    def _request_for(self, text: str, at: float) -> tuple[dict[str, Any], bool] | None:
        """The request a line makes; None when Alexa would not route it to this skill at all."""
        invoked = self.nlu.invocation(text)
        if invoked and invoked[0] == "launch":
            return envelopes.launch_request(at), True
        if invoked:
            return self._intent(self.nlu.resolve(invoked[1]), at), True
        resolution = self.nlu.resolve(words(text).removeprefix("alexa "))
        if not self.session_open and not resolution.intent.startswith(BUILT_IN):
            # Said without the skill's name and no session open: Alexa asks the skill first, and routes the
            # request to it only when it can (YES or MAYBE). Built-in intents ("next", "resume") are routed by
            # Alexa itself to the skill that was last active, as before.
            answer = self.can_fulfill(resolution, at)
            if answer == "NO":
                return None
        return self._intent(resolution, at), not self.session_open

    def can_fulfill(self, resolution: Resolution, at: float) -> str:
        """Alexa's CanFulfillIntentRequest for `resolution`, sent to the skill in a session of its own (nothing
        it answers is kept): YES, MAYBE or NO. Recorded in `name_free` and printed as one line."""
        request = self._intent(resolution, at)
        request["type"] = "CanFulfillIntentRequest"
        request.pop("dialogState", None)
        envelope = envelopes.envelope(request, user=self.user, device=self.device,
                                      session_id=envelopes.new_session_id(), new_session=True,
                                      access_token=self.access_token, person=self.person,
                                      api_endpoint=self.api_endpoint, device_kind=self.device_kind)
        response = self.app.handle(json.loads(json.dumps(envelope)))
        answer = ((response.get("response") or {}).get("canFulfillIntent") or {}).get("canFulfill", "NO")
        self.name_free.append((resolution.intent, answer))
        routed = "routed to back coach" if answer != "NO" else "not for back coach: Alexa would answer it"
        self._note = f"(name-free {resolution.intent}: can fulfil {answer}, {routed})"
        return answer

    def _intent(self, resolution: Resolution, at: float) -> dict[str, Any]:
        slots = {}
        for name in resolution.slot_names:
            found = resolution.slots.get(name)
            if found is None:
                slots[name] = envelopes.empty_slot(name)
            elif found.type.startswith("AMAZON."):  # built-in slot types come without entity resolution
                slots[name] = {**envelopes.empty_slot(name), "value": found.value, "source": "USER"}
            else:
                slots[name] = envelopes.slot_value(name, found.value, found.match, found.type)
        return envelopes.intent_request(resolution.intent, at, slots)

    def _send(self, said: str, request: dict[str, Any], new_session: bool, at: float) -> Exchange:
        if new_session or not self.session_id:
            self.session_id = envelopes.new_session_id()
            self.attributes = {}
        if self.wearable is not None:
            self.wearable.before(int(at) * 1000)
        envelope = envelopes.envelope(
            request, user=self.user, device=self.device, session_id=self.session_id,
            new_session=new_session, attributes=self.attributes, access_token=self.access_token,
            person=self.person, api_endpoint=self.api_endpoint,
            device_kind=self.device_kind,
            player=self.player.context() if self.player is not None else None,
        )
        response = self.app.handle(json.loads(json.dumps(envelope)))
        body = response.get("response") or {}
        ssml = (body.get("outputSpeech") or {}).get("ssml", "")
        self.attributes = response.get("sessionAttributes") or {}
        self.session_open = request["type"] != "SessionEndedRequest" and body.get("shouldEndSession") is False
        seconds = estimate_seconds(ssml)
        if ssml:
            self.last_start, self.last_seconds = at, seconds
        exchange = Exchange(said, envelope, response, at, ssml, to_text(ssml), seconds, self.stored())
        if self.player is not None:
            self.history.append(exchange)
            self._print(exchange)
            self.player.now_ms = max(self.player.now_ms, int(at * 1000))
            self.player.respond(response, int((at + seconds) * 1000))
            return exchange
        self.history.append(exchange)
        if self.wearable is not None:
            self.wearable.after(exchange, self.content)
        self._print(exchange)
        if self.uploads is not None and self.show is not None:
            for line in self.uploads():
                self.show(f"       ({line})")
        if self.speak and ssml:
            subprocess.run(["espeak-ng", "-m", "-s", str(WORDS_PER_MINUTE), ssml], check=False)
        return exchange

    def stored(self) -> dict[str, Any] | None:
        """The person's record as the store holds it now (what the next request will read); None for ids that
        are not Alexa's (the skill refuses those: there is no record of theirs)."""
        from skill.alexa.ids import BadId, record_key_of

        try:
            return self.app.stores.records.load(record_key_of(self.user, self.person))
        except BadId:
            return None

    # -- output --------------------------------------------------------------------------------------

    def _print(self, exchange: Exchange) -> None:
        if self.show is None:
            return
        self.show(f"you> {exchange.said}")
        if self._note:
            self.show(f"       {self._note}")
            self._note = ""
        if exchange.text:
            self.show(textwrap.fill(exchange.text, width=100, initial_indent="coach> ", subsequent_indent="       "))
        if self.show_timeline and exchange.ssml:
            marks = self.timeline_marks(exchange)
            if marks:
                self.show(textwrap.fill(" · ".join(marks), width=100, initial_indent="       timeline: ",
                                        subsequent_indent="                 "))
        screen = screen_line(exchange.response)
        if screen:
            self.show(f"       screen: {screen}")
        if exchange.request["request"]["type"] != "SessionEndedRequest":
            self.show("       (listening)" if not exchange.ends_session else "       (session closed)")

    def timeline_marks(self, exchange: Exchange) -> list[str]:
        """'0:16 band pull apart, overhand grip' for each segment of a workout response: barge-in targets."""
        state = exchange.workout
        if state is None or not state.timeline or state.response_at_ms != int(exchange.at) * 1000:
            return []
        plan = build_plan(self.content, state.workout, state.equipment)
        marks = []
        for seg in state.timeline:
            step = plan.steps[plan.index(seg.step) or 0]
            seconds = seg.start_ms // 1000
            p = self.app.languages.english.speech.prompts
            label = "rest" if step.kind == REST else part_label(p, step.display_name, step.part_kind, step.part_label)
            marks.append(f"{seconds // 60}:{seconds % 60:02d} {label}")
        return marks


class WearableLink:
    """A simulated watch beside the chat: its heart follows what the coach says, and its companion pushes the
    readings through the sync API before each request, as a real one would while the person works out."""

    def __init__(self, companion: Companion, simulated: SimulatedWearable) -> None:
        self.companion = companion
        self.simulated = simulated
        self.now_s = time.time()  # the chat's simulated time, for an in-process sync API to judge samples by

    @classmethod
    def in_process(cls, stores: Stores) -> WearableLink:
        """A simulated watch whose readings go through the sync API's real HTTP handling, called in process
        (Flask's test client), judged on the chat's simulated clock."""
        from flask import Flask

        from skill.bootstrap import build_sync_service
        from skill.web.sync import sync_blueprint

        link = cls(Companion(lambda *a: post(*a)), SimulatedWearable())
        app = Flask("backcoach-sync")
        app.register_blueprint(sync_blueprint(build_sync_service(stores, clock=lambda: link.now_s)))
        client = app.test_client()

        def post(path: str, body: Any, headers: dict[str, str]) -> tuple[int, Any]:
            answer = client.post(path, json=body, headers=headers)
            return answer.status_code, answer.get_json() or {}

        return link

    def pair(self, chat: Chat) -> str:
        answer = chat.say("ask back coach to pair my watch")
        code = re.search(r'interpret-as="digits">(\d{6})<', answer.ssml) if answer else None
        if code is None:
            raise RuntimeError("the skill did not give a pairing code")
        self.companion.pair(code.group(1), "simulated watch")
        return code.group(1)

    def before(self, at_ms: int) -> None:
        self.now_s = at_ms / 1000
        self.companion.add(self.simulated.advance(at_ms))
        self.companion.flush()

    def after(self, exchange: Exchange, content: Content) -> None:
        state = exchange.workout
        if state is None or not state.timeline or state.response_at_ms != int(exchange.at) * 1000:
            return
        plan = build_plan(content, state.workout, state.equipment)
        self.simulated.follow([
            (state.response_at_ms + seg.start_ms, state.response_at_ms + seg.end_ms,
             plan.steps[plan.index(seg.step) or 0].kind)
            for seg in state.timeline
        ])


def run_lines(chat: Chat, lines: Iterable[str], quiet_end: bool = False) -> None:
    """Says each line; then the session ends as Alexa would end it (quietly, when the person just left)."""
    for line in lines:
        chat.say(line)
    if quiet_end:
        chat.show = None
    chat.end_session()
