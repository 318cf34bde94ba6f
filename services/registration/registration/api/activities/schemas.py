from marshmallow import ValidationError, fields, validate, validates_schema

from shared.api import ApiSchema, Integer
from shared.contracts.registration import ACCESS_PROVISIONS, ATTENDANCE, COUNCIL_AREAS
from shared.contracts.vocabulary import SECTORS
from shared.validation import plain_text, single_line, within_our_times


ORGANISATION = [validate.Length(min=1, max=100), single_line()]


def _chosen_from(options: dict, what: str):
    return fields.List(fields.String(validate=validate.OneOf(options)), validate=validate.Length(max=len(options)),
                       metadata={"description": f"{what}, any of: {', '.join(options)}"})


class Findable(ApiSchema):
    """What lets people find an activity on the public list; each optional (none, when left out)."""
    themes = _chosen_from(SECTORS, "What it is about")
    area = fields.String(validate=validate.OneOf(["", *COUNCIL_AREAS]), metadata={
        "description": "The council area it takes place in (empty for an online one), one of: "
                       + ", ".join(COUNCIL_AREAS)})
    access_provisions = _chosen_from(ACCESS_PROVISIONS, "The access provisions it offers")


class ActivityIn(Findable):
    activity_id = fields.UUID(load_default=None, metadata={"description": "Chosen by the caller to make the request safe to retry"})
    organisation_id = fields.String(load_default=None, validate=ORGANISATION, metadata={
        "description": "The member organisation that runs it: an admin may name one (none: the network's own); "
                       "an organiser's is always its own"})
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


class DetailsChange(Findable):
    """The details an organiser may change in place; the times change by rescheduling."""
    organiser = fields.String(validate=[validate.Length(min=1, max=200), single_line()])
    title = fields.String(validate=[validate.Length(min=1, max=200), single_line()])
    summary = fields.String(validate=[validate.Length(max=2000), plain_text("The summary")])
    attendance = fields.String(validate=validate.OneOf(ATTENDANCE))
    venue = fields.String(validate=[validate.Length(max=300), single_line()])
    region = fields.String(validate=[validate.Length(min=1, max=100), single_line()])

    @validates_schema
    def names_one_detail(self, data, **_):
        if not data:
            raise ValidationError("name at least one detail to change", field_name="_schema")


class CapacityIn(ApiSchema):
    capacity = Integer(required=True, validate=validate.Range(min=1, max=100_000))


class RescheduleIn(ApiSchema):
    starts_at = fields.AwareDateTime(required=True, validate=within_our_times)
    ends_at = fields.AwareDateTime(required=True, validate=within_our_times)

    @validates_schema
    def check_times(self, data, **_):
        if "starts_at" in data and "ends_at" in data and data["ends_at"] <= data["starts_at"]:
            raise ValidationError("must be after starts_at", field_name="ends_at")


class CancelIn(ApiSchema):
    reason = fields.String(required=True, validate=[validate.Length(min=1, max=2000), plain_text("The reason")])


class ActivityOut(ApiSchema):
    activity_id = fields.String()
    organisation_id = fields.String()
    status = fields.String()
    organiser = fields.String()
    title = fields.String()
    summary = fields.String()
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    attendance = fields.String()
    venue = fields.String()
    region = fields.String()
    area = fields.String()
    themes = fields.List(fields.String())
    access_provisions = fields.List(fields.String())
    capacity = Integer()
    confirmed = Integer()
    waitlisted = Integer()
    cancellation_reason = fields.String()
    version = Integer(metadata={"description": "The stream's version, also sent as the ETag"})


class Accepted(ApiSchema):
    activity_id = fields.String()
    status = fields.String()


class Changed(ApiSchema):
    activity_id = fields.String()
    version = Integer(metadata={"description": "The activity's version after the change: the next If-Match"})
