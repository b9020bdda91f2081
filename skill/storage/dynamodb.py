"""DynamoDB storage: ask-sdk-dynamodb-persistence-adapter with a lazily created boto3 resource and
version-conditional writes.

Trap (see shared FACTS): `ask_sdk_dynamodb.adapter` builds a boto3 resource in a default argument when it is
imported, which fails without an AWS region and costs start-up time. So the library is imported only when the
first adapter is made (on Lambda the region is always set), never when a module that mentions DynamoDB is.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from ask_sdk_core.attributes_manager import AbstractPersistenceAdapter

from skill.storage import StaleWriteError, expected_version

PARTITION_KEY = "id"
ATTRIBUTES = "attributes"
ResourceFactory = Callable[[], Any]


def default_resource() -> Any:
    """A DynamoDB resource honouring AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL; retries kept short so a
    throttled call still leaves time to answer within Alexa's ~8 s."""
    import boto3
    from botocore.config import Config

    config = Config(connect_timeout=2, read_timeout=3, retries={"max_attempts": 3, "mode": "standard"})
    return boto3.session.Session().resource("dynamodb", config=config)


@contextmanager
def _some_region() -> Iterator[None]:
    """Lets the library's import-time resource be built on a machine with no AWS region configured."""
    if os.environ.get("AWS_REGION") or os.environ.get("AWS_DEFAULT_REGION"):
        yield
        return
    os.environ["AWS_DEFAULT_REGION"] = "us-east-1"
    try:
        yield
    finally:
        os.environ.pop("AWS_DEFAULT_REGION", None)


@cache
def _adapter_class() -> type:
    with _some_region():
        from ask_sdk_dynamodb.adapter import DynamoDbAdapter
        from ask_sdk_dynamodb.partition_keygen import user_id_partition_keygen
    from boto3.dynamodb.conditions import Attr
    from botocore.exceptions import ClientError

    class VersionedDynamoDbAdapter(DynamoDbAdapter):
        def __init__(self, table_name: str, resource_factory: ResourceFactory) -> None:
            self._resource_factory = resource_factory
            self._resource: Any = None
            super().__init__(
                table_name=table_name, partition_key_name=PARTITION_KEY, attribute_name=ATTRIBUTES,
                create_table=False, partition_keygen=user_id_partition_keygen, dynamodb_resource=None,
            )

        @property
        def dynamodb(self) -> Any:
            if self._resource is None:
                self._resource = self._resource_factory()
            return self._resource

        @dynamodb.setter
        def dynamodb(self, resource: Any) -> None:
            self._resource = resource

        def save_attributes(self, request_envelope: Any, attributes: dict[str, Any]) -> None:
            expected = expected_version(attributes)
            if expected is None:
                super().save_attributes(request_envelope, attributes)
                return
            key = self.partition_keygen(request_envelope)
            condition = Attr(PARTITION_KEY).not_exists()
            if expected > 0:
                condition = Attr(f"{ATTRIBUTES}.version").eq(expected)
            try:
                self.dynamodb.Table(self.table_name).put_item(
                    Item={PARTITION_KEY: key, ATTRIBUTES: attributes}, ConditionExpression=condition
                )
            except ClientError as e:
                if e.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException":
                    raise StaleWriteError("the record changed since it was read") from None
                raise

    return VersionedDynamoDbAdapter


def dynamodb_adapter(
    table_name: str, resource_factory: ResourceFactory = default_resource
) -> AbstractPersistenceAdapter:
    """The DynamoDB adapter for `table_name`; no AWS call is made until the first read or write."""
    return _adapter_class()(table_name, resource_factory)
