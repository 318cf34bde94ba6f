"""Writing in revisions, as the guide's sections, posts and case studies all are: drafts until one is
published, submitted for review, published now or at a set time, withdrawn, and earlier revisions
restored as new ones. A revision is written from the revision its writer read (`based_on`): saving
over a revision someone else saved meanwhile is refused with the current revision number, so nobody
overwrites words they never saw.

A subclass names its six fact classes, the fields that identify it in each fact (`identity`) and
how it is called in an error (`what`); the words of a revision are the written fact's other fields.
"""
from dataclasses import fields
from datetime import datetime
from typing import ClassVar

from shared.aggregate import Aggregate
from shared.facts import Fact

from content.domain.errors import (AlreadySubmitted, NoSuchRevision, NothingScheduled, NothingToPublish,
                                   NothingToWithdraw, RevisionConflict)

NOT_WORDS = {"kind", "slug", "revision", "restored_from"}


class Revised(Aggregate):
    Written: ClassVar[type[Fact]]
    Submitted: ClassVar[type[Fact]]
    Published: ClassVar[type[Fact]]
    Withdrawn: ClassVar[type[Fact]]
    Scheduled: ClassVar[type[Fact]]
    Unscheduled: ClassVar[type[Fact]]
    label: ClassVar[str]  # "Section", "Post", "Case study"

    def __init__(self, stream: str):
        super().__init__(stream)
        self.revision = 0
        self.published_revision = 0
        self.revisions: dict[int, dict] = {}
        self.submitted: set[int] = set()
        self.scheduled: int | None = None  # the revision due to be published by the scheduler

    def identity(self, slug: str) -> dict:
        return {"slug": slug}

    def what(self, slug: str) -> str:
        return f"{self.label} {slug}"

    def write_words(self, slug: str, words: dict, based_on: int | None = None,
                    restored_from: int | None = None) -> int:
        if based_on is not None and based_on != self.revision:
            raise RevisionConflict(self.what(slug), self.revision)
        self.record(self.Written(**self.identity(slug), revision=self.revision + 1, restored_from=restored_from,
                                 **words))
        return self.revision

    def restore(self, slug: str, revision: int, based_on: int) -> int:
        return self.write_words(slug, self._revision(slug, revision), based_on, restored_from=revision)

    def submit(self, slug: str, revision: int) -> None:
        self._revision(slug, revision)
        if revision in self.submitted or revision == self.published_revision:
            raise AlreadySubmitted(self.what(slug), revision)
        self.record(self.Submitted(**self.identity(slug), revision=revision))

    def publish(self, slug: str, revision: int | None = None) -> None:
        """Publish this revision (the latest when None); publishing the live one again changes nothing."""
        if revision is None and self.revision == 0:
            raise NothingToPublish(self.what(slug))
        revision = self.revision if revision is None else revision
        self._revision(slug, revision)
        if self.published_revision != revision:
            self.record(self.Published(**self.identity(slug), revision=revision))

    def withdraw(self, slug: str) -> None:
        if not self.published_revision:
            raise NothingToWithdraw(self.what(slug))
        self.record(self.Withdrawn(**self.identity(slug), revision=self.published_revision))

    def schedule(self, slug: str, revision: int, at: datetime) -> None:
        """Publish this revision at `at`; scheduling again replaces the earlier time or revision."""
        self._revision(slug, revision)
        self.record(self.Scheduled(**self.identity(slug), revision=revision, at=at))

    def unschedule(self, slug: str) -> None:
        if self.scheduled is None:
            raise NothingScheduled(self.what(slug))
        self.record(self.Unscheduled(**self.identity(slug)))

    def publish_scheduled(self, slug: str) -> None:
        """The scheduler's turn: publish what is still scheduled (nothing, if it was cancelled)."""
        if self.scheduled is not None:
            self.publish(slug, self.scheduled)

    def _revision(self, slug: str, revision: int) -> dict:
        if revision not in self.revisions:
            raise NoSuchRevision(self.what(slug), revision)
        return self.revisions[revision]

    def apply(self, fact) -> None:
        if isinstance(fact, self.Written):
            self.revision = fact.revision
            self.revisions[fact.revision] = words_of(fact)
        elif isinstance(fact, self.Submitted):
            self.submitted.add(fact.revision)
        elif isinstance(fact, self.Published):
            self.published_revision, self.scheduled = fact.revision, None
        elif isinstance(fact, self.Scheduled):
            self.scheduled = fact.revision
        elif isinstance(fact, self.Unscheduled):
            self.scheduled = None
        elif isinstance(fact, self.Withdrawn):
            self.published_revision = 0


def words_of(fact: Fact) -> dict:
    """A written fact's words: every field but those saying which revision of what it is."""
    return {field.name: getattr(fact, field.name) for field in fields(fact) if field.name not in NOT_WORDS}
