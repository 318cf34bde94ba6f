"""A section of the Co-production Guide: written in revisions, drafts until one is published.

Contributors write drafts and submit them; editors publish one revision (it becomes the live one),
withdraw the live one, or restore an earlier one as a new draft. A revision is written from the
revision its writer read (`based_on`): saving over a revision someone else saved meanwhile is
refused with the current revision number, so nobody overwrites words they never saw.
"""
from dataclasses import dataclass
from datetime import datetime

from shared.aggregate import Aggregate

from content.domain.errors import (AlreadySubmitted, NoSuchRevision, NothingScheduled, NothingToPublish,
                                   NothingToWithdraw, RevisionConflict)
from content.domain.facts import (FACTS, PublicationScheduled, PublicationUnscheduled, SectionPublished,
                                  SectionSubmitted, SectionWithdrawn, SectionWritten)


def section_stream(slug: str) -> str:
    return f"guide-section-{slug}"


@dataclass(frozen=True)
class Words:
    title: str
    body: str
    position: int


class GuideSection(Aggregate):
    facts = FACTS

    def __init__(self, stream: str):
        super().__init__(stream)
        self.revision = 0
        self.published_revision = 0
        self.revisions: dict[int, Words] = {}
        self.submitted: set[int] = set()
        self.scheduled: int | None = None  # the revision due to be published by the scheduler

    def write(self, slug: str, title: str, body: str, position: int, based_on: int | None = None,
              restored_from: int | None = None) -> int:
        if based_on is not None and based_on != self.revision:
            raise RevisionConflict(slug, self.revision)
        self.record(SectionWritten(slug=slug, revision=self.revision + 1, title=title, body=body,
                                   position=position, restored_from=restored_from))
        return self.revision

    def restore(self, slug: str, revision: int, based_on: int) -> int:
        earlier = self._revision(slug, revision)
        return self.write(slug, earlier.title, earlier.body, earlier.position, based_on, restored_from=revision)

    def submit(self, slug: str, revision: int) -> None:
        self._revision(slug, revision)
        if revision in self.submitted or revision == self.published_revision:
            raise AlreadySubmitted(slug, revision)
        self.record(SectionSubmitted(slug=slug, revision=revision))

    def publish(self, slug: str, revision: int | None = None) -> None:
        """Publish this revision (the latest when None); publishing the live one again changes nothing."""
        if revision is None and self.revision == 0:
            raise NothingToPublish(slug)
        revision = self.revision if revision is None else revision
        self._revision(slug, revision)
        if self.published_revision != revision:
            self.record(SectionPublished(slug=slug, revision=revision))

    def withdraw(self, slug: str) -> None:
        if not self.published_revision:
            raise NothingToWithdraw(slug)
        self.record(SectionWithdrawn(slug=slug, revision=self.published_revision))

    def schedule(self, slug: str, revision: int, at: datetime) -> None:
        """Publish this revision at `at`; scheduling again replaces the earlier time or revision."""
        self._revision(slug, revision)
        self.record(PublicationScheduled(slug=slug, revision=revision, at=at))

    def unschedule(self, slug: str) -> None:
        if self.scheduled is None:
            raise NothingScheduled(slug)
        self.record(PublicationUnscheduled(slug=slug))

    def publish_scheduled(self, slug: str) -> None:
        """The scheduler's turn: publish what is still scheduled (nothing, if it was cancelled)."""
        if self.scheduled is not None:
            self.publish(slug, self.scheduled)

    def _revision(self, slug: str, revision: int) -> Words:
        if revision not in self.revisions:
            raise NoSuchRevision(slug, revision)
        return self.revisions[revision]

    def apply(self, fact) -> None:
        match fact:
            case SectionWritten():
                self.revision = fact.revision
                self.revisions[fact.revision] = Words(fact.title, fact.body, fact.position)
            case SectionSubmitted():
                self.submitted.add(fact.revision)
            case SectionPublished():
                self.published_revision, self.scheduled = fact.revision, None
            case PublicationScheduled():
                self.scheduled = fact.revision
            case PublicationUnscheduled():
                self.scheduled = None
            case SectionWithdrawn():
                self.published_revision = 0
