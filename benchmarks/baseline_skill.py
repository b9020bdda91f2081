"""The baseline: the smallest ask-sdk skill with the same DynamoDB adapter wiring, reading and writing the
persistent attributes on every turn. Back Coach's figures are reported against it, measured in the same run."""

from __future__ import annotations

import os
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter
from ask_sdk_core.dispatch_components import AbstractRequestHandler
from ask_sdk_core.skill_builder import CustomSkillBuilder


class MemoryAdapter(AbstractPersistenceAdapter):
    """The persistence adapter a hello skill would use in memory: a dict per user."""

    def __init__(self) -> None:
        self.items: dict[str, dict[str, Any]] = {}

    def get_attributes(self, request_envelope: Any) -> dict[str, Any]:
        return dict(self.items.get(request_envelope.context.system.user.user_id, {}))

    def save_attributes(self, request_envelope: Any, attributes: dict[str, Any]) -> None:
        self.items[request_envelope.context.system.user.user_id] = dict(attributes)

    def delete_attributes(self, request_envelope: Any) -> None:
        self.items.pop(request_envelope.context.system.user.user_id, None)


class CountingHandler(AbstractRequestHandler):
    def can_handle(self, handler_input: Any) -> bool:
        return True

    def handle(self, handler_input: Any) -> Any:
        am = handler_input.attributes_manager
        attributes = am.persistent_attributes
        attributes["turns"] = int(attributes.get("turns", 0)) + 1
        am.persistent_attributes = attributes
        am.save_persistent_attributes()
        return handler_input.response_builder.speak("Hello.").ask("Hello?").response


def builder(adapter: Any) -> CustomSkillBuilder:
    skill = CustomSkillBuilder(persistence_adapter=adapter)
    skill.add_request_handler(CountingHandler())
    return skill


def dynamodb_builder() -> CustomSkillBuilder:
    import boto3
    from ask_sdk_dynamodb.adapter import DynamoDbAdapter

    return builder(DynamoDbAdapter(os.environ["BACKCOACH_TABLE"], dynamodb_resource=boto3.resource("dynamodb")))


_handler = None


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    global _handler
    if _handler is None:
        _handler = dynamodb_builder().lambda_handler()
    return _handler(event, context)
