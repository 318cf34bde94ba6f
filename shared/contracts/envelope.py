"""The envelope every message travels in, and the registry of message types.

A message type is defined once, as a `MessageType` (its name, which is also its routing key
`<service>.<stream kind>.<fact>`, its version and its payload schema), in the module of the service
that produces it; producers, consumers' bindings and handlers all refer to that object, never to a
string. Consumers ignore fields they do not know and reject, to their dead-letter queue, a message
that fails its schema.
"""
import json
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from shared.validation import single_line


class ContractError(Exception):
    """A message that does not meet its contract; the text names the fields."""


class Lenient(Schema):
    class Meta:
        unknown = EXCLUDE


def line(max_length: int, **options):
    return fields.String(validate=[validate.Length(max=max_length), single_line()], **options)


@dataclass(frozen=True)
class MessageType:
    name: str  # also the routing key
    version: int
    schema: type[Schema]
    # one instance, built once: making a schema copies its fields, which costs more than a load with it
    loader: Schema = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "loader", self.schema())

    def __str__(self) -> str:
        return self.name


REGISTRY: dict[tuple[str, int], MessageType] = {}


def message_type(name: str, version: int, schema: type[Schema]) -> MessageType:
    """Define a message type, once: a second definition of the same name and version is an error."""
    if (name, version) in REGISTRY:
        raise ValueError(f"message type {name} version {version} is defined twice")
    REGISTRY[(name, version)] = defined = MessageType(name, version, schema)
    return defined


class EnvelopeSchema(Lenient):
    id = fields.UUID(required=True)
    type = fields.String(required=True, validate=validate.Length(min=1, max=200))
    schema_version = fields.Integer(required=True, validate=validate.Range(min=1))
    occurred_at = fields.AwareDateTime(required=True)
    producer = fields.String(required=True)
    correlation_id = fields.String(required=True)
    causation_id = fields.String(load_default=None, allow_none=True)
    payload = fields.Dict(required=True)


ENVELOPE = EnvelopeSchema()


@dataclass(frozen=True)
class Envelope:
    id: str
    type: str
    schema_version: int
    occurred_at: datetime
    producer: str
    correlation_id: str
    causation_id: str | None
    payload: dict


def envelope(kind: MessageType | str, payload: dict, producer: str, *, message_id: str,
             occurred_at: datetime, correlation_id: str, causation_id: str | None = None,
             schema_version: int = 1) -> dict:
    """A message ready to publish as JSON; the payload is checked against its contract first."""
    name, version = (kind.name, kind.version) if isinstance(kind, MessageType) else (kind, schema_version)
    try:
        _payload_schema(name, version).load(json.loads(json.dumps(payload, default=str)))
    except ValidationError as error:
        raise ContractError(f"{name} payload: {error.messages}") from error
    return {"id": message_id, "type": name, "schema_version": version,
            "occurred_at": occurred_at.isoformat(), "producer": producer,
            "correlation_id": correlation_id, "causation_id": causation_id, "payload": payload}


def decode(body: bytes | str) -> Envelope:
    """Parse and validate a message body, or raise ContractError naming what is wrong."""
    try:
        raw = json.loads(body)
        loaded = ENVELOPE.load(raw)
        loaded["payload"] = _payload_schema(loaded["type"], loaded["schema_version"]).load(loaded["payload"])
    except (ValueError, TypeError, RecursionError) as error:
        raise ContractError(f"body is not JSON: {type(error).__name__}") from error
    except ValidationError as error:
        raise ContractError(f"invalid message: {error.messages}") from error
    loaded["id"] = str(loaded["id"])
    return Envelope(**loaded)


def _payload_schema(name: str, version: int) -> Schema:
    defined = REGISTRY.get((name, version))
    if defined is None:
        raise ContractError(f"type: no contract for {name!r} version {version}")
    return defined.loader


def message_id(producer: str, stream_id: str, version: int) -> str:
    """The same fact always becomes a message with the same id, however often it is published."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"cpw:{producer}/{stream_id}/{version}"))
