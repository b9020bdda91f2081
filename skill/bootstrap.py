"""The one composition root: the skill, the sync service and the upload worker, for Lambda, `backcoach serve`
and `backcoach chat`. Every entry point calls these; nothing else builds a store or a skill."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from skill.settings import ENV_SAMPLES_TABLE, ENV_TABLE, Settings, load_settings, upload_service_problem
from skill.storage.stores import Stores

if TYPE_CHECKING:
    from ask_sdk_core.skill import CustomSkill

    from skill.activity.worker import UploaderFor, UploadWorker
    from skill.alexa.zones import Zones
    from skill.audio.clips import ClipLibrary
    from skill.content.schema import Content
    from skill.heartrate.service import SyncService

LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


def stores_from_settings(settings: Settings) -> Stores:
    """DynamoDB when a table is configured, otherwise the embedded SQLite file."""
    if settings.table:
        from skill.storage.stores import dynamo_stores

        return dynamo_stores(settings.table, settings.samples_table)
    from skill.storage.stores import sqlite_stores

    return sqlite_stores(settings.db_path)


def clips_from_settings(settings: Settings, local: bool = False) -> ClipLibrary | None:
    """The audio mode's clips: the S3 bucket when one is configured, else the local directory when a public
    base URL is (or `local`: `backcoach chat` and `build --audio`, which need no URL); None turns the mode off."""
    if not (settings.audio_bucket or settings.audio_base_url or local):
        return None
    from skill.audio.clips import ClipLibrary, LocalClips, S3Clips
    from skill.audio.tts import EspeakEngine

    if settings.tts == "polly":
        from skill.audio.polly import PollyEngine

        engine = PollyEngine(settings.polly_voice)
    else:
        engine = EspeakEngine()
    if settings.audio_bucket:
        return ClipLibrary(engine, S3Clips(settings.audio_bucket))
    return ClipLibrary(engine, LocalClips(settings.clip_dir(), settings.audio_base_url))


def build_skill(
    stores: Stores, content: Content | None = None, skill_id: str | None = None, upload_service: str = "",
    clips: ClipLibrary | None = None, art_url: str = "", zones: Zones | None = None,
) -> CustomSkill:
    """`upload_service`: where finished workouts go ("strava" or "fitbit"), the service of the skill's account
    linking; "" turns uploads off. `clips`: where the audio mode's clips are rendered and served (None: speech
    mode only); `art_url`: the picture the player screen shows; `zones`: where the person's time zone comes
    from (None: Alexa's settings API, as deployed)."""
    from ask_sdk_core.skill_builder import SkillBuilder

    from skill.alexa.handlers import ApologyHandler, request_handlers
    from skill.alexa.turns import TurnRunner
    from skill.content import load_content
    from skill.engine.coach import Coach
    from skill.speech.ssml import BUDGET, Speech

    content = content or load_content()
    speech = Speech(content)
    coach = Coach(content, speech.measure, BUDGET)
    builder = SkillBuilder()
    builder.skill_id = skill_id
    turns = TurnRunner(coach, stores, upload_service, zones)
    audio = None
    if clips is not None:
        from skill.alexa.audio import AudioMode
        from skill.alexa.player import Voice

        audio = AudioMode(turns, speech, content, Voice(speech, clips, art_url))
    for handler in request_handlers(turns, speech, content, audio):
        builder.add_request_handler(handler)
    builder.add_exception_handler(ApologyHandler())
    return builder.create()


def build_sync_service(stores: Stores, clock: Callable[[], float] = time.time) -> SyncService | None:
    """The heart-rate sync API's rules, or None where live heart rate is not set up."""
    if stores.pairing is None or stores.samples is None:
        return None
    from skill.heartrate.service import SyncService

    return SyncService(stores.pairing, stores.samples, clock=clock)


def build_upload_worker(stores: Stores, uploader_for: UploaderFor | None = None) -> UploadWorker:
    from skill.activity.uploaders import uploaders
    from skill.activity.worker import UploadWorker

    return UploadWorker(stores.uploads, stores.logs, stores.samples, uploader_for or uploaders())


log = logging.getLogger("backcoach.lambda")
# Requests whose answer may carry no speech (besides SessionEndedRequest).
SPEECHLESS = ("AudioPlayer.", "PlaybackController.", "System.")


class Lazy:
    """A Lambda handler built on its first event (settings, stores, the handler), then reused, so importing
    the entry module costs nothing and a misconfiguration is reported by the first invocation."""

    def __init__(self, build: Callable[[Settings], LambdaHandler]) -> None:
        self._build = build
        self.handler: LambdaHandler | None = None

    def build(self) -> LambdaHandler:
        if self.handler is None:
            settings = load_settings()
            if not settings.table:
                raise RuntimeError(f"{ENV_TABLE} is not set: the Lambda function needs its DynamoDB table")
            logging.getLogger().setLevel(settings.log_level)
            self.handler = self._build(settings)
        return self.handler

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        return (self.handler or self.build())(event, context)


def _skill(settings: Settings) -> LambdaHandler:
    if upload_service_problem(settings):
        raise RuntimeError(upload_service_problem(settings))
    skill = build_skill(stores_from_settings(settings), skill_id=settings.skill_id or None,
                        upload_service=settings.upload_service, clips=clips_from_settings(settings))

    def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
        event, refusal = _readable(event)
        if refusal is not None:
            return refusal
        envelope = skill.serializer.deserialize(payload=json.dumps(event), obj_type="ask_sdk_model.RequestEnvelope")
        return skill.serializer.serialize(skill.invoke(request_envelope=envelope, context=context))

    return handler


def _readable(event: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The event as the SDK may read it (it recurses, and fails a few hundred levels down), and None; or, for an
    event it must not read, the answer to give instead. Session attributes nested too deep are dropped: they
    are only the session's copy of the record, and the stored one is read instead. An event deep anywhere else
    gets a short apology (an empty answer where Alexa accepts no speech)."""
    from skill.alexa.requests import MAX_JSON_DEPTH, json_depth

    if json_depth(event) <= MAX_JSON_DEPTH:
        return event, None
    session = event.get("session")
    if isinstance(session, dict) and json_depth(session.get("attributes")) > MAX_JSON_DEPTH - 2:
        log.warning("dropped the session attributes: nested more than %d levels deep", MAX_JSON_DEPTH)
        event = {**event, "session": {**session, "attributes": {}}}
        if json_depth(event) <= MAX_JSON_DEPTH:
            return event, None
    log.warning("refused a request nested more than %d levels deep", MAX_JSON_DEPTH)
    request = event.get("request")
    kind = request.get("type") if isinstance(request, dict) else None
    if not isinstance(kind, str) or kind == "SessionEndedRequest" or kind.startswith(SPEECHLESS):
        return event, {"version": "1.0", "response": {}}  # Alexa accepts no speech in reply to these
    from skill.speech.prompts import APOLOGY, APOLOGY_REPROMPT

    return event, {"version": "1.0", "response": {
        "outputSpeech": {"type": "PlainText", "text": APOLOGY},
        "reprompt": {"outputSpeech": {"type": "PlainText", "text": APOLOGY_REPROMPT}},
        "shouldEndSession": False}}


def _sync(settings: Settings) -> LambdaHandler:
    service = build_sync_service(stores_from_settings(settings))
    if service is None:
        raise RuntimeError(f"{ENV_TABLE} and {ENV_SAMPLES_TABLE} must be set for the sync API")
    from skill.heartrate.api_gateway import handle

    return lambda event, context: handle(service, event)


def _uploads(settings: Settings) -> LambdaHandler:
    return build_upload_worker(stores_from_settings(settings))


def lambda_skill() -> Lazy:
    return Lazy(_skill)


def lambda_sync() -> Lazy:
    return Lazy(_sync)


def lambda_uploads() -> Lazy:
    return Lazy(_uploads)
