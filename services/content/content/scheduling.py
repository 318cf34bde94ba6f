"""Publishing a revision of the guide, a post or a case study at a time set in advance, through the
shared scheduler: the fact that schedules it puts the due item in place in its own transaction, the
job publishes it in the transaction that takes the item (exactly once, however many schedulers run),
and cancelling or publishing otherwise takes the item away."""
from datetime import datetime

from shared.eventstore import RecordedFact
from shared.scheduling import Rule, cancel

PUBLISH_SECTION = "publish-guide-section"
PUBLISH_ARTICLE = "publish-article"  # a post or a case study, keyed kind/slug


def _slug(fact: RecordedFact) -> str:
    return fact.data["slug"]


def _article(fact: RecordedFact) -> str:
    return f"{fact.data['kind']}/{fact.data['slug']}"


def _scheduled_at(fact: RecordedFact, _now: datetime) -> datetime:
    return datetime.fromisoformat(fact.data["at"])


RULES = [Rule("PublicationScheduled", PUBLISH_SECTION, _slug, _scheduled_at),
         Rule("PublicationUnscheduled", PUBLISH_SECTION, _slug, cancel),
         Rule("SectionPublished", PUBLISH_SECTION, _slug, cancel),
         Rule("ArticlePublicationScheduled", PUBLISH_ARTICLE, _article, _scheduled_at),
         Rule("ArticlePublicationUnscheduled", PUBLISH_ARTICLE, _article, cancel),
         Rule("ArticlePublished", PUBLISH_ARTICLE, _article, cancel)]
