from marshmallow import ValidationError, fields, validate, validates_schema

from shared.api import ApiSchema, Integer
from shared.contracts.registration import ATTENDANCE
from shared.validation import plain_text, single_line, within_our_times


class ActivityIn(ApiSchema):
    activity_id = fields.UUID(load_default=None, metadata={"description": "Chosen by the caller to make the request safe to retry"})
    organiser = fields.String(required=True, validate=[validate.Length(min=1, max=200), single_line()])
    title = fields.String(required=True, validate=[validate.Length(min=1, max=200), single_line()])
    summary = fields.String(load_default="", validate=[validate.Length(max=2000), plain_text("The summary")])
    starts_at = fields.AwareDateTime(required=True, validate=within_our_times)
    ends_at = fields.AwareDateTime(required=True, validate=within_our_times)
    attendance = fields.String(required=True, validate=validate.OneOf(ATTENDANCE))
    venue = fields.String(load_default="", validate=[validate.Length(max=300), single_line()])
    region = fields.String(required=True, validate=[validate.Length(min=1, max=100), single_line()])
    capacity = Integer(required=True, validate=validate.Range(min=1, max=100_000))
    open = fields.Boolean(load_default=False, metadata={"description": "Open for registration at once"})

    @validates_schema
    def check_times(self, data, **_):
        if "starts_at" in data and "ends_at" in data and data["ends_at"] <= data["starts_at"]:
            raise ValidationError("must be after starts_at", field_name="ends_at")
        if data.get("attendance") in ("in_person", "hybrid") and not data.get("venue"):
            raise ValidationError("an in-person or hybrid activity needs a venue", field_name="venue")


class ActivityOut(ApiSchema):
    activity_id = fields.String()
    status = fields.String()
    organiser = fields.String()
    title = fields.String()
    summary = fields.String()
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    attendance = fields.String()
    venue = fields.String()
    region = fields.String()
    capacity = Integer()
    confirmed = Integer()
    waitlisted = Integer()


class Accepted(ApiSchema):
    activity_id = fields.String()
    status = fields.String()
