"""The outline of the Co-production Guide: which section is a sub-section of which, as each section's
latest revision has it. Sections are one level deep, like a printed guide: a sub-section's parent is
a standard section at the top of the guide, and a sub-section has no sub-sections of its own. An
Easy Read version is reached from its standard section, so it is neither a parent nor a sub-section."""
from dataclasses import dataclass

from content.domain.errors import HasSubSections, NotASubSection


@dataclass(frozen=True)
class Placed:
    """Where a section's latest revision puts it."""
    parent: str | None
    easy_read_of: str | None


class Outline:
    def __init__(self, sections: dict[str, Placed]):
        self.sections = sections

    @classmethod
    def of(cls, written: list[dict]) -> "Outline":
        """From the data of every SectionWritten, oldest first: each section as its latest revision has it."""
        return cls({data["slug"]: Placed(data["parent"], data["easy_read_of"]) for data in written})

    def children(self, slug: str) -> list[str]:
        return sorted(child for child, placed in self.sections.items() if placed.parent == slug)

    def check(self, slug: str, parent: str | None, easy_read_of: str | None) -> None:
        """Refuse a revision that would break the outline, naming the field at fault."""
        if easy_read_of is not None and self.children(slug):
            raise HasSubSections(slug)
        if parent is not None:
            self._check_parent(slug, parent, easy_read_of)

    def _check_parent(self, slug: str, parent: str, easy_read_of: str | None) -> None:
        placed = self.sections.get(parent)
        reason = ("a section cannot be its own sub-section" if parent == slug
                  else "there is no such section" if placed is None
                  else "an Easy Read version cannot have sub-sections" if placed.easy_read_of
                  else "that would make a loop" if placed.parent == slug
                  else "it is itself a sub-section, and sections are only one level deep" if placed.parent
                  else "an Easy Read version cannot be a sub-section; place its standard section" if easy_read_of
                  else "it has sub-sections of its own, and sections are only one level deep"
                  if self.children(slug) else None)
        if reason:
            raise NotASubSection(slug, parent, reason)
