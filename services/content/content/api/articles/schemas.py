from marshmallow import fields, validate

from shared.api import ApiSchema, Integer
from shared.contracts.vocabulary import SECTORS
from shared.validation import single_line

from content.api.guide.schemas import SLUG


class ArticleIn(ApiSchema):
    title = fields.String(required=True, validate=[validate.Length(min=1, max=200), single_line()])
    summary = fields.String(required=True, validate=[validate.Length(min=1, max=300), single_line()],
                            metadata={"description": "One or two plain sentences, shown in lists and feeds"})
    body = fields.String(required=True, validate=validate.Length(min=1, max=50_000),
                         metadata={"description": "Markdown; raw HTML is shown as text"})
    author = fields.String(required=True, validate=[validate.Length(min=1, max=100), single_line()],
                           metadata={"description": "The byline"})
    tags = fields.List(fields.String(validate=[validate.Length(max=40), validate.Regexp(SLUG)]),
                       load_default=list, validate=validate.Length(max=10),
                       metadata={"description": "Up to 10, each lowercase words joined by hyphens"})
    based_on = Integer(required=True, validate=validate.Range(min=0, max=1_000_000), metadata={
        "description": "The revision you started from (0 for a new one); a newer one is a 409"})


class CaseStudyIn(ArticleIn):
    organisation = fields.String(required=True, validate=[validate.Length(min=1, max=200), single_line()],
                                 metadata={"description": "Whose work the case study tells"})
    sector = fields.String(required=True, validate=validate.OneOf(list(SECTORS)),
                           metadata={"description": "One of: " + ", ".join(SECTORS)})


class ArticleRevisionOut(ApiSchema):
    slug = fields.String()
    revision = Integer()
    title = fields.String()
    summary = fields.String()
    body = fields.String(metadata={"description": "Markdown"})
    author = fields.String()
    tags = fields.List(fields.String())
    organisation = fields.String(allow_none=True)
    sector = fields.String(allow_none=True)
    restored_from = Integer(allow_none=True)
    state = fields.String(metadata={"description": "draft, submitted or published (at least once)"})
    written_at = fields.AwareDateTime()
    published_at = fields.AwareDateTime(allow_none=True)


class LiveArticleOut(ApiSchema):
    slug = fields.String()
    revision = Integer(metadata={"description": "The live revision"})
    title = fields.String()
    summary = fields.String()
    author = fields.String()
    tags = fields.List(fields.String())
    organisation = fields.String(allow_none=True)
    sector = fields.String(allow_none=True)
    first_published_at = fields.AwareDateTime()
    published_at = fields.AwareDateTime(metadata={"description": "When the live revision was published"})
