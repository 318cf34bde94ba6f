"""Posts and case studies in revisions: the same rules as the guide's sections, with their own facts
and names (given facts, when a command, then facts)."""
from datetime import datetime, timezone

import pytest

from content.domain import errors
from content.domain.articles import CaseStudy, Post
from content.domain.facts import ArticlePublicationScheduled, ArticlePublished, ArticleWritten

WORDS = {"title": "T", "summary": "S", "body": "B", "author": "A", "tags": ["x"], "organisation": None,
         "sector": None}


def written(revision, kind="post") -> ArticleWritten:
    return ArticleWritten(kind=kind, slug="s", revision=revision, restored_from=None, **WORDS)


def test_a_post_records_article_facts_with_its_kind():
    post = Post("post-s")
    assert post.write_words("s", WORDS, based_on=0) == 1
    post.publish("s", 1)
    assert post.pending == [written(1), ArticlePublished(kind="post", slug="s", revision=1)]


def test_a_stale_save_names_the_case_study_and_the_current_revision():
    case_study = CaseStudy("case-study-s")
    for fact in (written(1, "case_study"), written(2, "case_study")):
        case_study.apply(fact)
    with pytest.raises(errors.RevisionConflict, match="Case study s .* current revision is 2"):
        case_study.write_words("s", WORDS, based_on=1)


def test_a_scheduled_revision_is_published_by_the_scheduler_once():
    post = Post("post-s")
    post.apply(written(1))
    post.schedule("s", 1, datetime(2030, 1, 1, tzinfo=timezone.utc))
    post.publish_scheduled("s")
    post.publish_scheduled("s")
    assert [type(f) for f in post.pending] == [ArticlePublicationScheduled, ArticlePublished]
