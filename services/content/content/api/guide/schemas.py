from marshmallow import fields

from shared.api import ApiSchema, Integer


class SectionOut(ApiSchema):
    slug = fields.String()
    title = fields.String()
    revision = Integer(metadata={"description": "The live revision"})
    position = Integer(metadata={"description": "Where it comes in the guide"})
    published_at = fields.AwareDateTime()
