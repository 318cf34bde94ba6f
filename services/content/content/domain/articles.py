"""Posts and case studies: articles written in revisions exactly as the guide's sections are
(content.domain.revised). A post has an author, a summary and tags; a case study also tells one
organisation's work, in one of the week's sectors."""
from typing import ClassVar

from content.domain.facts import (FACTS, ArticlePublicationScheduled, ArticlePublicationUnscheduled, ArticlePublished,
                                  ArticleSubmitted, ArticleWithdrawn, ArticleWritten)
from content.domain.revised import Revised

POST, CASE_STUDY = "post", "case_study"


def article_stream(kind: str, slug: str) -> str:
    return f"{kind.replace('_', '-')}-{slug}"


class Article(Revised):
    facts = FACTS
    Written, Submitted, Published = ArticleWritten, ArticleSubmitted, ArticlePublished
    Withdrawn, Scheduled, Unscheduled = ArticleWithdrawn, ArticlePublicationScheduled, ArticlePublicationUnscheduled
    kind: ClassVar[str]

    def identity(self, slug: str) -> dict:
        return {"kind": self.kind, "slug": slug}


class Post(Article):
    kind, label = POST, "Post"


class CaseStudy(Article):
    kind, label = CASE_STUDY, "Case study"


ARTICLES = {POST: Post, CASE_STUDY: CaseStudy}
