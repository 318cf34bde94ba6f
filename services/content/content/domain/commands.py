"""What editors ask content to do, in the imperative; each carries who asked (its actor). Commands
on revisions name the `kind` of writing: a guide section (the default), a post or a case study."""
from dataclasses import dataclass
from datetime import datetime

from shared.commands import Command

SECTION = "section"


@dataclass(frozen=True, kw_only=True)
class WriteSection(Command):
    slug: str
    title: str
    body: str  # Markdown
    position: int
    publish: bool = False
    based_on: int | None = None  # the revision the writer started from (0: a new section); None: unchecked
    easy_read_of: str | None = None  # the slug of the section this is the Easy Read version of
    parent: str | None = None  # the slug of the section this is a sub-section of


@dataclass(frozen=True, kw_only=True)
class WriteArticle(Command):
    kind: str  # post | case_study
    slug: str
    title: str
    summary: str
    body: str  # Markdown
    author: str
    tags: list[str]
    organisation: str | None = None  # case studies
    sector: str | None = None  # case studies: a key of shared.contracts.vocabulary.SECTORS
    publish: bool = False
    based_on: int | None = None


@dataclass(frozen=True, kw_only=True)
class SubmitRevision(Command):
    kind: str = SECTION
    slug: str
    revision: int


@dataclass(frozen=True, kw_only=True)
class PublishRevision(Command):
    kind: str = SECTION
    slug: str
    revision: int


@dataclass(frozen=True, kw_only=True)
class WithdrawLiveRevision(Command):
    """Take the live revision down: readers see nothing until another is published."""
    kind: str = SECTION
    slug: str


@dataclass(frozen=True, kw_only=True)
class RestoreRevision(Command):
    """Write an earlier revision again, as the newest one (a draft, to be published as any other)."""
    kind: str = SECTION
    slug: str
    revision: int
    based_on: int


@dataclass(frozen=True, kw_only=True)
class SchedulePublication(Command):
    kind: str = SECTION
    slug: str
    revision: int
    at: datetime  # aware


@dataclass(frozen=True, kw_only=True)
class CancelScheduledPublication(Command):
    kind: str = SECTION
    slug: str


@dataclass(frozen=True, kw_only=True)
class UploadMedia(Command):
    """Keep an image (its type already found from its bytes: content.domain.media.sniff)."""
    data: bytes
    media_type: str
    alt: str
