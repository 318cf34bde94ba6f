"""The messages content publishes: a section of the Co-production Guide published, with what changed
and where to read it (a revision's own address, which keeps working after later revisions)."""
from marshmallow import fields, validate

from shared.contracts.envelope import Lenient, line, message_type


class SectionPublishedSchema(Lenient):
    slug = line(100, required=True)
    revision = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    title = line(200, required=True)
    summary = line(500, required=True)  # what changed since the revision live before it
    url = fields.Url(required=True, schemes={"http", "https"})


SECTION_PUBLISHED = message_type("content.guide.section_published", 1, SectionPublishedSchema)
