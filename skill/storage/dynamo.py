"""DynamoDB for every store: one lazily built low-level client per process, items as plain values, and the
one place a conditional write's failure is recognised.

No boto3 resource: building one loads the resource model on top of the service model, and the resource API
is frozen. The client is built on first use, never at import, so importing a store costs nothing.
"""

from __future__ import annotations

from decimal import Decimal
from functools import cache
from typing import Any

# Alexa waits about 8 s and the function's timeout is 7 s: one retry, short timeouts, so a stalled table is
# answered with "I can't reach your saved workout" rather than a Lambda timeout (2 x (1 + 2) s < 7 s).
CONNECT_TIMEOUT_S = 1
READ_TIMEOUT_S = 2
MAX_ATTEMPTS = 2


@cache
def client() -> Any:
    """The process's DynamoDB client; honours AWS_ENDPOINT_URL_DYNAMODB (a loopback server in tests)."""
    import botocore.session
    from botocore.config import Config

    config = Config(connect_timeout=CONNECT_TIMEOUT_S, read_timeout=READ_TIMEOUT_S,
                    retries={"total_max_attempts": MAX_ATTEMPTS, "mode": "standard"})
    return botocore.session.get_session().create_client("dynamodb", config=config)


@cache
def _codecs() -> tuple[Any, Any]:
    from boto3.dynamodb.types import TypeDeserializer, TypeSerializer

    return TypeSerializer(), TypeDeserializer()


def to_item(values: dict[str, Any]) -> dict[str, Any]:
    """Plain values as a DynamoDB item (floats as Decimal, which DynamoDB requires)."""
    serializer = _codecs()[0]
    return {k: serializer.serialize(_decimal(v)) for k, v in values.items() if v is not None}


def from_item(item: dict[str, Any]) -> dict[str, Any]:
    """A DynamoDB item as plain values: whole numbers as int, sets as sorted lists."""
    deserializer = _codecs()[1]
    return {k: plain(deserializer.deserialize(v)) for k, v in item.items()}


def value(v: Any) -> dict[str, Any]:
    return _codecs()[0].serialize(_decimal(v))


def conditional_failed(error: Exception) -> bool:
    """Whether `error` is DynamoDB refusing a conditional write (the expected outcome of a race, not a fault)."""
    response = getattr(error, "response", None)
    return isinstance(response, dict) and response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def _decimal(v: Any) -> Any:
    if isinstance(v, float):
        return Decimal(str(v))
    if isinstance(v, dict):
        return {k: _decimal(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_decimal(x) for x in v]
    return v


def plain(v: Any) -> Any:
    """DynamoDB hands numbers back as Decimal; everything above storage wants plain JSON values."""
    if isinstance(v, Decimal):
        return int(v) if v == v.to_integral_value() else float(v)
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, set | frozenset):
        return sorted(plain(x) for x in v)
    return v
