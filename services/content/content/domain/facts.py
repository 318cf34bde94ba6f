"""What content records, in the past tense. A class name is a stored type: never rename one."""
from dataclasses import dataclass


@dataclass(frozen=True)
class SectionWritten:
    """A new revision of a section of the Co-production Guide (the first one creates it)."""
    slug: str
    revision: int
    title: str
    body: str  # Markdown, no raw HTML
    position: int


@dataclass(frozen=True)
class SectionPublished:
    slug: str
    revision: int


@dataclass(frozen=True)
class ActivityListed:
    """An activity that registration opened, listed in the week's programme."""
    activity_id: str
    title: str
    summary: str
    organiser: str
    starts_at: str
    ends_at: str
    attendance: str
    venue: str
    region: str


FACTS = {cls.__name__: cls for cls in (SectionWritten, SectionPublished, ActivityListed)}
