from marshmallow import fields, validate

from shared.api import ApiSchema, Integer
from shared.validation import single_line

SLUG = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"


def another_section(description: str) -> fields.String:
    """An optional slug of another section."""
    return fields.String(load_default=None, allow_none=True, validate=[validate.Length(max=100), validate.Regexp(SLUG)],
                         metadata={"description": description})


class SectionOut(ApiSchema):
    slug = fields.String()
    title = fields.String()
    revision = Integer(metadata={"description": "The live revision"})
    position = Integer(metadata={"description": "Where it comes in the guide"})
    published_at = fields.AwareDateTime()
    parent = fields.String(allow_none=True, metadata={"description": "The section this is a sub-section of"})


class DraftIn(ApiSchema):
    title = fields.String(required=True, validate=[validate.Length(min=1, max=200), single_line()])
    body = fields.String(required=True, validate=validate.Length(min=1, max=50_000),
                         metadata={"description": "Markdown; raw HTML is shown as text"})
    position = Integer(required=True, validate=validate.Range(min=1, max=10_000))
    based_on = Integer(required=True, validate=validate.Range(min=0, max=1_000_000), metadata={
        "description": "The revision you started from (0 for a new section); a newer one is a 409"})
    easy_read_of = another_section("The standard section this is the Easy Read version of")
    parent = another_section("The section this is a sub-section of: a top-level standard section (sections are "
                             "one level deep), or a 409 naming `parent`")


class RestoreIn(ApiSchema):
    based_on = Integer(required=True, validate=validate.Range(min=0, max=1_000_000),
                       metadata={"description": "The latest revision you have seen"})


class Written(ApiSchema):
    slug = fields.String()
    revision = Integer()


class RevisionOut(ApiSchema):
    slug = fields.String()
    revision = Integer()
    title = fields.String()
    body = fields.String(metadata={"description": "Markdown"})
    position = Integer()
    restored_from = Integer(allow_none=True)
    state = fields.String(metadata={"description": "draft, submitted or published (at least once)"})
    written_at = fields.AwareDateTime()
    published_at = fields.AwareDateTime(allow_none=True)
    easy_read_of = fields.String(allow_none=True)
    parent = fields.String(allow_none=True)


class CheckOut(ApiSchema):
    check = fields.String(metadata={"description": "alt_text, heading, link_text or long_sentence"})
    message = fields.String()


class PreviewOut(ApiSchema):
    slug = fields.String()
    revision = Integer()
    preview = fields.Boolean(metadata={"description": "Always true: not what readers see until published"})
    title = fields.String()
    html = fields.String()
    checks = fields.List(fields.Nested(CheckOut), metadata={
        "description": "Editorial checks: images without alt text, skipped heading levels, vague link text, "
                       "very long sentences"})


class ScheduleIn(ApiSchema):
    revision = Integer(required=True, validate=validate.Range(min=1, max=1_000_000))
    publish_at = fields.DateTime(required=True, metadata={
        "description": "When to publish, in UK time (Europe/London) unless an offset is given"})


class ScheduleOut(ApiSchema):
    slug = fields.String()
    revision = Integer()
    publish_at = fields.AwareDateTime(metadata={"description": "In UK time (Europe/London)"})
