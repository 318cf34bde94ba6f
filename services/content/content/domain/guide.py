"""A section of the Co-production Guide: written in revisions (content.domain.revised), drafts until
one is published. Contributors write drafts and submit them; editors publish one revision (it
becomes the live one), withdraw the live one, or restore an earlier one as a new draft. A section may
be the Easy Read version of another (`easy_read_of`, its slug): the pages link the two both ways. A
section may be a sub-section of another (`parent`, its slug), as the guide's outline allows
(content.domain.outline)."""
from content.domain.errors import NotItsOwnEasyRead
from content.domain.facts import (FACTS, PublicationScheduled, PublicationUnscheduled, SectionPublished,
                                  SectionSubmitted, SectionWithdrawn, SectionWritten)
from content.domain.outline import Outline
from content.domain.revised import Revised


def section_stream(slug: str) -> str:
    return f"guide-section-{slug}"


class GuideSection(Revised):
    facts = FACTS
    Written, Submitted, Published = SectionWritten, SectionSubmitted, SectionPublished
    Withdrawn, Scheduled, Unscheduled = SectionWithdrawn, PublicationScheduled, PublicationUnscheduled
    label = "Section"

    def write(self, slug: str, title: str, body: str, position: int, based_on: int | None = None,
              easy_read_of: str | None = None, parent: str | None = None, outline: Outline = Outline({})) -> int:
        """`outline` is the guide's, needed when the revision names a parent or an Easy Read's standard."""
        if easy_read_of == slug:
            raise NotItsOwnEasyRead(slug)
        outline.check(slug, parent, easy_read_of)
        return self.write_words(slug, {"title": title, "body": body, "position": position,
                                       "easy_read_of": easy_read_of, "parent": parent}, based_on)

    def restore(self, slug: str, revision: int, based_on: int, outline: Outline = Outline({})) -> int:
        """The earlier revision's place in the guide is checked against the outline as it is now."""
        words = self._revision(slug, revision)
        outline.check(slug, words["parent"], words["easy_read_of"])
        return super().restore(slug, revision, based_on)
