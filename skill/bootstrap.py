"""The one composition root: the skill, the sync service and the upload worker, for Lambda, `backcoach serve`
and `backcoach chat`. Every entry point calls these; nothing else builds a store or a skill."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from skill.settings import ENV_SAMPLES_TABLE, ENV_TABLE, Settings, load_settings, upload_service_problem
from skill.storage.stores import Stores

if TYPE_CHECKING:
    from ask_sdk_core.skill import CustomSkill

    from skill.activity.worker import UploaderFor, UploadWorker
    from skill.alexa.envelope import Checked
    from skill.alexa.zones import Zones
    from skill.audio.clips import ClipLibrary
    from skill.content.schema import Content
    from skill.heartrate.service import SyncService
    from skill.languages import Languages

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


@dataclass
class App:
    """The skill as every entry point runs it: the ask-sdk skill, what it is built from, and the one way an
    envelope gets in (`handle`: checked, then dispatched; the Lambda entry, `backcoach serve` and the local chat
    all go through it)."""

    skill: CustomSkill
    stores: Stores
    languages: Languages
    skill_id: str = ""

    def handle(self, event: dict[str, Any], context: Any = None) -> dict[str, Any]:
        """An Alexa event in, the response out; never raises for a bad event."""
        from skill.alexa.envelope import refusal

        checked = self.check(event)
        if checked.problem:
            log.warning("refused a request: %s", checked.problem)
            request = event.get("request") if isinstance(event, dict) else None
            return refusal(request.get("type") if isinstance(request, dict) else "")
        return self.answer(checked, context)

    def check(self, event: Any) -> Checked:
        """The one envelope check (skill.alexa.envelope), for entries that act on a problem themselves:
        `backcoach serve` refuses with a 400 and verifies the signature before it answers."""
        from skill.alexa.envelope import check

        return check(event, self.skill_id)

    def answer(self, checked: Checked, context: Any = None) -> dict[str, Any]:
        """The response to an envelope that passed the check: the check's own answer, or the skill's."""
        if checked.answer is not None:
            return checked.answer
        return self.invoke(checked.envelope, context)

    def invoke(self, envelope: Any, context: Any = None) -> dict[str, Any]:
        return self.skill.serializer.serialize(self.skill.invoke(request_envelope=envelope, context=context))


def build_app(
    stores: Stores, content: Content | None = None, skill_id: str | None = None, upload_service: str = "",
    clips: ClipLibrary | None = None, art_url: str = "", zones: Zones | None = None,
) -> App:
    """`upload_service`: where finished workouts go ("strava" or "fitbit"), the service of the skill's account
    linking; "" turns uploads off. `clips`: where the audio mode's clips are rendered and served (None: speech
    mode only); `art_url`: the picture the player screen shows; `zones`: where the person's time zone comes
    from (None: Alexa's settings API, as deployed); `content`: English content to use instead of the shipped."""
    from ask_sdk_core.skill_builder import SkillBuilder

    from skill.alexa.adapter import AlexaTurn
    from skill.alexa.handlers import ApologyHandler, CanFulfillHandler, QuietHandler, TurnHandler
    from skill.languages import Languages
    from skill.turn import Turn

    languages = Languages(content)
    voice = None
    if clips is not None:
        from skill.alexa.player import Voice

        voice = Voice(lambda code: languages.get(code).speech, clips, art_url)
    alexa = AlexaTurn(Turn(languages, stores, upload_service), languages, voice, zones)
    builder = SkillBuilder()
    builder.skill_id = skill_id
    builder.add_request_handler(TurnHandler(alexa, languages))
    builder.add_request_handler(CanFulfillHandler(languages))
    builder.add_request_handler(QuietHandler())
    builder.add_exception_handler(ApologyHandler())
    return App(builder.create(), stores, languages, skill_id or "")


def build_skill(stores: Stores, content: Content | None = None, skill_id: str | None = None,
                upload_service: str = "", clips: ClipLibrary | None = None, art_url: str = "",
                zones: Zones | None = None) -> CustomSkill:
    """The ask-sdk skill alone (what a test or a benchmark drives with envelopes of its own)."""
    return build_app(stores, content, skill_id, upload_service, clips, art_url, zones).skill


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


def app_from_settings(settings: Settings, stores: Stores | None = None) -> App:
    """The app as deployed or self-hosted: stores, clips and the upload service from the settings."""
    if upload_service_problem(settings):
        raise RuntimeError(upload_service_problem(settings))
    return build_app(stores or stores_from_settings(settings), skill_id=settings.skill_id or None,
                     upload_service=settings.upload_service, clips=clips_from_settings(settings))


def _skill(settings: Settings) -> LambdaHandler:
    return app_from_settings(settings).handle


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
