"""Publishing a revision of the guide at a time set in advance, through the shared scheduler: the
fact that schedules it puts the due item in place in its own transaction, the job publishes it in the
transaction that takes the item (exactly once, however many schedulers run), and cancelling or
publishing otherwise takes the item away."""
from datetime import datetime

from shared.eventstore import RecordedFact
from shared.scheduling import Rule, cancel

PUBLISH_SECTION = "publish-guide-section"


def _slug(fact: RecordedFact) -> str:
    return fact.data["slug"]


def _scheduled_at(fact: RecordedFact, _now: datetime) -> datetime:
    return datetime.fromisoformat(fact.data["at"])


RULES = [Rule("PublicationScheduled", PUBLISH_SECTION, _slug, _scheduled_at),
         Rule("PublicationUnscheduled", PUBLISH_SECTION, _slug, cancel),
         Rule("SectionPublished", PUBLISH_SECTION, _slug, cancel)]
