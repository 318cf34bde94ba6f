"""The messages content publishes: a section of the Co-production Guide published, with what changed
and where to read it (a revision's own address, which keeps working after later revisions); a post
or a case study published (with its byline, tags and address) or withdrawn."""
from marshmallow import fields, validate

from shared.contracts.envelope import Lenient, line, message_type
from shared.contracts.vocabulary import SECTORS


class SectionPublishedSchema(Lenient):
    slug = line(100, required=True)
    revision = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    title = line(200, required=True)
    summary = line(500, required=True)  # what changed since the revision live before it
    url = fields.Url(required=True, schemes={"http", "https"})


SECTION_PUBLISHED = message_type("content.guide.section_published", 1, SectionPublishedSchema)


class ArticlePublishedSchema(Lenient):
    """A post's revision published; `first` says whether readers see the post for the first time
    (false for a later revision of a live post: a notice would be news to nobody)."""
    slug = line(100, required=True)
    revision = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))
    first = fields.Boolean(required=True)
    title = line(200, required=True)
    summary = line(300, required=True)
    author = line(100, required=True)
    tags = fields.List(line(40), required=True, validate=validate.Length(max=10))
    url = fields.Url(required=True, schemes={"http", "https"})


class CaseStudyPublishedSchema(ArticlePublishedSchema):
    organisation = line(200, required=True)
    sector = fields.String(required=True, validate=validate.OneOf(list(SECTORS)))  # shared.contracts.vocabulary


class ArticleWithdrawnSchema(Lenient):
    slug = line(100, required=True)
    revision = fields.Integer(required=True, strict=True, validate=validate.Range(min=1))


POST_PUBLISHED = message_type("content.post.published", 1, ArticlePublishedSchema)
CASE_STUDY_PUBLISHED = message_type("content.case_study.published", 1, CaseStudyPublishedSchema)
POST_WITHDRAWN = message_type("content.post.withdrawn", 1, ArticleWithdrawnSchema)
CASE_STUDY_WITHDRAWN = message_type("content.case_study.withdrawn", 1, ArticleWithdrawnSchema)
