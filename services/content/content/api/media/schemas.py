from flask_smorest.fields import Upload
from marshmallow import fields, validate

from shared.api import ApiSchema, Integer
from shared.validation import single_line


class FileIn(ApiSchema):
    file = Upload(required=True, metadata={"description": "A PNG, JPEG or WebP image (checked by its bytes)"})


class AltIn(ApiSchema):
    alt = fields.String(required=True, validate=[validate.Length(min=1, max=300), single_line()],
                        metadata={"description": "What the image shows, for people who cannot see it"})


class MediaOut(ApiSchema):
    digest = fields.String(metadata={"description": "SHA-256 of the bytes, in hex"})
    media_type = fields.String()
    size = Integer()
    alt = fields.String()
    url = fields.String(metadata={"description": "Where it is served; use it in Markdown: ![alt](url)"})
