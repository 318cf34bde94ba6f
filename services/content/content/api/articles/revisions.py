"""Posts and case studies in revisions (content.api.revisions), under /api/posts/<slug>/ and
/api/case-studies/<slug>/."""
from functools import partial

from content.api.articles.schemas import ArticleIn, ArticleRevisionOut, CaseStudyIn
from content.api.revisions import Kind, revisions_blueprint
from content.article_projections import article_revisions, find_article_revision, scheduled_article
from content.domain.articles import CASE_STUDY, POST
from content.domain.commands import WriteArticle


def _kind(name: str, label: str, draft: type) -> Kind:
    return Kind(name=name, label=label, draft=draft, revision_out=ArticleRevisionOut,
                write=lambda actor, slug, words: WriteArticle(actor=actor, kind=name, slug=slug, **words),
                history=partial(_by_kind, article_revisions, name), find=partial(_by_kind, find_article_revision, name),
                scheduled=partial(_by_kind, scheduled_article, name))


def _by_kind(query, kind, db, *args):
    return query(db, kind, *args)


posts = revisions_blueprint(_kind(POST, "Post", ArticleIn), "post-revisions", "/api/posts",
                            "Posts in revisions: drafts, review, publishing")
case_studies = revisions_blueprint(_kind(CASE_STUDY, "Case study", CaseStudyIn), "case-study-revisions",
                                   "/api/case-studies", "Case studies in revisions: drafts, review, publishing")
