"""The one place the skill is assembled; the Lambda entry, the web endpoint and the local chat all call it."""

from __future__ import annotations

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.skill import CustomSkill
from ask_sdk_core.skill_builder import CustomSkillBuilder

from skill.alexa.handlers import ApologyHandler, request_handlers
from skill.alexa.turns import TurnRunner
from skill.content import Content, load_content
from skill.engine.coach import Coach
from skill.speech.ssml import BUDGET, Speech
from skill.wearable.store import WearableStore


def skill_builder(
    persistence_adapter: AbstractPersistenceAdapter,
    content: Content | None = None,
    skill_id: str | None = None,
    wearable: WearableStore | None = None,
    upload_service: str = "",
) -> CustomSkillBuilder:
    """`upload_service`: where finished workouts go ("strava" or "fitbit"), the service of the skill's account
    linking; "" turns uploads off."""
    content = content or load_content()
    speech = Speech(content)
    coach = Coach(content, speech.measure, BUDGET)
    builder = CustomSkillBuilder(persistence_adapter=persistence_adapter)
    builder.skill_id = skill_id
    for handler in request_handlers(TurnRunner(coach, persistence_adapter, wearable, upload_service), speech, content):
        builder.add_request_handler(handler)
    builder.add_exception_handler(ApologyHandler())
    return builder


def create_skill(
    persistence_adapter: AbstractPersistenceAdapter,
    content: Content | None = None,
    skill_id: str | None = None,
    wearable: WearableStore | None = None,
    upload_service: str = "",
) -> CustomSkill:
    return skill_builder(persistence_adapter, content, skill_id, wearable, upload_service).create()
