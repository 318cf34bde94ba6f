"""Message contracts between services: the envelope and one payload schema per message type.

A message type is also its routing key: `<service>.<stream kind>.<fact>`. Consumers ignore fields
they do not know and reject, to their dead-letter queue, a message that fails its schema.
"""
import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from shared.validation import ascii_email, plain_text, single_line

ATTENDANCE = ("online", "in_person", "hybrid")


class ContractError(Exception):
    """A message that does not meet its contract; the text names the fields."""


class Lenient(Schema):
    class Meta:
        unknown = EXCLUDE


class EnvelopeSchema(Lenient):
    id = fields.UUID(required=True)
    type = fields.String(required=True, validate=validate.Length(min=1, max=200))
    schema_version = fields.Integer(required=True, validate=validate.Range(min=1))
    occurred_at = fields.AwareDateTime(required=True)
    producer = fields.String(required=True)
    correlation_id = fields.String(required=True)
    causation_id = fields.String(load_default=None, allow_none=True)
    payload = fields.Dict(required=True)


def line(max_length: int, **options):
    return fields.String(validate=[validate.Length(max=max_length), single_line()], **options)


class ActivityDetails(Lenient):
    title = line(200, required=True)
    starts_at = fields.AwareDateTime(required=True)
    ends_at = fields.AwareDateTime(required=True)
    attendance = fields.String(required=True, validate=validate.OneOf(ATTENDANCE))
    venue = line(300, load_default="")
    region = line(100, load_default="")


class ActivityOpened(ActivityDetails):
    activity_id = fields.UUID(required=True)
    summary = fields.String(load_default="", validate=[validate.Length(max=2000), plain_text()])
    organiser = line(200, required=True)
    capacity = fields.Integer(required=True, validate=validate.Range(min=1))


class RegistrationRecorded(Lenient):
    registration_id = fields.UUID(required=True)
    activity_id = fields.UUID(required=True)
    person_id = fields.UUID(required=True)
    name = fields.String(required=True, validate=[validate.Length(min=1, max=200), single_line()])
    email = fields.Email(required=True, validate=[validate.Length(max=254), ascii_email])
    activity = fields.Nested(ActivityDetails, required=True)


PAYLOADS = {
    ("registration.activity.opened", 1): ActivityOpened,
    ("registration.registration.confirmed", 1): RegistrationRecorded,
    ("registration.registration.waitlisted", 1): RegistrationRecorded,
}


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


def envelope(message_type: str, payload: dict, producer: str, *, message_id: str,
             occurred_at: datetime, correlation_id: str, causation_id: str | None = None,
             schema_version: int = 1) -> dict:
    """A message ready to publish as JSON; the payload is checked against its contract first."""
    try:
        _payload_schema(message_type, schema_version).load(json.loads(json.dumps(payload, default=str)))
    except ValidationError as error:
        raise ContractError(f"{message_type} payload: {error.messages}") from error
    return {"id": message_id, "type": message_type, "schema_version": schema_version,
            "occurred_at": occurred_at.isoformat(), "producer": producer,
            "correlation_id": correlation_id, "causation_id": causation_id, "payload": payload}


def decode(body: bytes | str) -> Envelope:
    """Parse and validate a message body, or raise ContractError naming what is wrong."""
    try:
        raw = json.loads(body)
        loaded = EnvelopeSchema().load(raw)
        loaded["payload"] = _payload_schema(loaded["type"], loaded["schema_version"]).load(loaded["payload"])
    except (ValueError, TypeError) as error:
        raise ContractError(f"body is not JSON: {error}") from error
    except ValidationError as error:
        raise ContractError(f"invalid message: {error.messages}") from error
    loaded["id"] = str(loaded["id"])
    return Envelope(**loaded)


def _payload_schema(message_type: str, schema_version: int) -> Schema:
    schema = PAYLOADS.get((message_type, schema_version))
    if schema is None:
        raise ContractError(f"type: no contract for {message_type!r} version {schema_version}")
    return schema()


def message_id(producer: str, stream_id: str, version: int) -> str:
    """The same fact always becomes a message with the same id, however often it is published."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"cpw:{producer}/{stream_id}/{version}"))
