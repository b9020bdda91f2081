"""The Lambda handler for the skill, built on its first invocation so importing it costs nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

from skill.alexa.factory import skill_builder
from skill.settings import ENV_TABLE, load_settings, upload_service_problem

LambdaHandler = Callable[[dict[str, Any], Any], dict[str, Any]]


class LazySkillHandler:
    """Builds the skill (settings, storage adapter, handlers) once, on the first event, then reuses it."""

    def __init__(self) -> None:
        self.adapter: AbstractPersistenceAdapter | None = None
        self._handler: LambdaHandler | None = None

    def build(self) -> LambdaHandler:
        if self._handler is None:
            settings = load_settings()
            if not settings.table:
                raise RuntimeError(f"{ENV_TABLE} is not set: the Lambda function needs its DynamoDB table")
            logging.getLogger().setLevel(settings.log_level)
            if upload_service_problem(settings):
                raise RuntimeError(upload_service_problem(settings))
            from skill.storage.select import adapter_from_settings, wearable_store_from_settings

            self.adapter = adapter_from_settings(settings)
            self._handler = skill_builder(
                self.adapter, skill_id=settings.skill_id or None, wearable=wearable_store_from_settings(settings),
                upload_service=settings.upload_service,
            ).lambda_handler()
        return self._handler

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        return self.build()(event, context)
