"""A section of the Co-production Guide: written in revisions, one of which is live."""
from shared.aggregate import Aggregate

from content.domain.errors import NothingToPublish
from content.domain.facts import FACTS, SectionPublished, SectionWritten


def section_stream(slug: str) -> str:
    return f"guide-section-{slug}"


class GuideSection(Aggregate):
    facts = FACTS

    def __init__(self, stream: str):
        super().__init__(stream)
        self.revision = 0
        self.published_revision = 0

    def write(self, slug: str, title: str, body: str, position: int) -> None:
        self.record(SectionWritten(slug=slug, revision=self.revision + 1, title=title, body=body,
                                   position=position))

    def publish(self, slug: str) -> None:
        if self.revision == 0:
            raise NothingToPublish(slug)
        if self.published_revision != self.revision:
            self.record(SectionPublished(slug=slug, revision=self.revision))

    def apply(self, fact) -> None:
        match fact:
            case SectionWritten():
                self.revision = fact.revision
            case SectionPublished():
                self.published_revision = fact.revision
