"""The baseline: the smallest ask-sdk skill that keeps its persistent attributes in DynamoDB, reading and writing
them on every turn. It builds its boto3 client lazily, on the first event, as a hello skill written today would
(a low-level client: boto3's resource API is frozen, and `ask_sdk_dynamodb`'s adapter builds a resource at
import). Back Coach's figures are reported against it, measured in the same run.

It is packaged for Lambda by the skill's own build function (`skill.cli.build.build_package`), with this file
as `app.py`, so both cold starts are measured from an unzipped package the same way."""

from __future__ import annotations

import json
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


class DynamoDbAdapter(AbstractPersistenceAdapter):
    """Persistent attributes as one JSON string per user, on a boto3 client built on first use."""

    def __init__(self, table: str) -> None:
        self.table = table
        self._client: Any = None

    @property
    def client(self) -> Any:
        if self._client is None:
            import boto3

            self._client = boto3.client("dynamodb")
        return self._client

    def get_attributes(self, request_envelope: Any) -> dict[str, Any]:
        item = self.client.get_item(TableName=self.table, Key=self._key(request_envelope), ConsistentRead=True)
        return json.loads(item.get("Item", {}).get("attributes", {}).get("S", "{}"))

    def save_attributes(self, request_envelope: Any, attributes: dict[str, Any]) -> None:
        self.client.put_item(TableName=self.table,
                             Item={**self._key(request_envelope), "attributes": {"S": json.dumps(attributes)}})

    def delete_attributes(self, request_envelope: Any) -> None:
        self.client.delete_item(TableName=self.table, Key=self._key(request_envelope))

    @staticmethod
    def _key(request_envelope: Any) -> dict[str, Any]:
        return {"id": {"S": "hello#" + request_envelope.context.system.user.user_id}}


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
    return builder(DynamoDbAdapter(os.environ["BACKCOACH_TABLE"]))


_handler = None


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    global _handler
    if _handler is None:
        _handler = dynamodb_builder().lambda_handler()
    return _handler(event, context)
