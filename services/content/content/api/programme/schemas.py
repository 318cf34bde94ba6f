from marshmallow import fields

from shared.api import ApiSchema


class EntryOut(ApiSchema):
    activity_id = fields.String()
    title = fields.String()
    summary = fields.String()
    organiser = fields.String()
    starts_at = fields.AwareDateTime()
    ends_at = fields.AwareDateTime()
    attendance = fields.String()
    venue = fields.String()
    region = fields.String()
    status = fields.String(metadata={"description": "open, closed (to registration) or cancelled"})
    reason = fields.String(metadata={"description": "Why it was cancelled"})
