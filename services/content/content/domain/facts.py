"""What content records, in the past tense. Each fact names the type it is stored as and its schema
version; older versions are brought up to date by the upcasters below, when read."""
from dataclasses import dataclass
from datetime import datetime

from shared.contracts.registration import ActivityDetails
from shared.facts import Fact, facts_by_type


@dataclass(frozen=True)
class SectionWritten(Fact, type_name="SectionWritten", version=4):
    """A new revision of a section of the Co-production Guide (the first one creates it): a draft
    until it is published."""
    slug: str
    revision: int
    title: str
    body: str  # Markdown, no raw HTML
    position: int
    restored_from: int | None  # the earlier revision this one copies, when it was restored
    easy_read_of: str | None = None  # the slug of the section this is the Easy Read version of
    parent: str | None = None  # the slug of the section this is a sub-section of (one level deep)


@dataclass(frozen=True)
class SectionSubmitted(Fact, type_name="SectionSubmitted"):
    """A draft revision put forward for an editor to review."""
    slug: str
    revision: int


@dataclass(frozen=True)
class SectionPublished(Fact, type_name="SectionPublished"):
    slug: str
    revision: int


@dataclass(frozen=True)
class SectionWithdrawn(Fact, type_name="SectionWithdrawn"):
    """The live revision taken down: the section is no longer in the guide until one is published."""
    slug: str
    revision: int


@dataclass(frozen=True)
class PublicationScheduled(Fact, type_name="PublicationScheduled"):
    """This revision is to be published at `at` (UTC), replacing any earlier schedule of the section."""
    slug: str
    revision: int
    at: datetime


@dataclass(frozen=True)
class PublicationUnscheduled(Fact, type_name="PublicationUnscheduled"):
    slug: str


@dataclass(frozen=True)
class ArticleWritten(Fact, type_name="ArticleWritten"):
    """A new revision of a post or a case study (`kind`), a draft until it is published. A case
    study also names the organisation whose work it tells and its sector (content.domain.articles)."""
    kind: str  # post | case_study
    slug: str
    revision: int
    title: str
    summary: str  # one or two plain sentences, shown in lists and feeds
    body: str  # Markdown, no raw HTML
    author: str  # the byline, as the writer gives it
    tags: list[str]
    organisation: str | None
    sector: str | None
    restored_from: int | None


@dataclass(frozen=True)
class ArticleSubmitted(Fact, type_name="ArticleSubmitted"):
    kind: str
    slug: str
    revision: int


@dataclass(frozen=True)
class ArticlePublished(Fact, type_name="ArticlePublished"):
    kind: str
    slug: str
    revision: int


@dataclass(frozen=True)
class ArticleWithdrawn(Fact, type_name="ArticleWithdrawn"):
    kind: str
    slug: str
    revision: int


@dataclass(frozen=True)
class ArticlePublicationScheduled(Fact, type_name="ArticlePublicationScheduled"):
    kind: str
    slug: str
    revision: int
    at: datetime


@dataclass(frozen=True)
class ArticlePublicationUnscheduled(Fact, type_name="ArticlePublicationUnscheduled"):
    kind: str
    slug: str


@dataclass(frozen=True)
class MediaUploaded(Fact, type_name="MediaUploaded"):
    """An image, stored by the SHA-256 of its bytes (the bytes themselves in media_blobs, written in
    the same transaction), its type found from its content, with the alt text it was uploaded with."""
    digest: str
    media_type: str  # image/png | image/jpeg | image/webp
    size: int
    alt: str


@dataclass(frozen=True)
class ActivityListed(Fact, type_name="ActivityListed", version=2):
    """An activity that registration opened, listed in the week's programme."""
    activity_id: str
    details: ActivityDetails


@dataclass(frozen=True)
class ProgrammeEntryChanged(Fact, type_name="ProgrammeEntryChanged"):
    """The organiser changed what the activity is or where; `changed` names the fields."""
    activity_id: str
    details: ActivityDetails
    changed: list[str]


@dataclass(frozen=True)
class ProgrammeEntryRescheduled(Fact, type_name="ProgrammeEntryRescheduled"):
    activity_id: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class ProgrammeRegistrationClosed(Fact, type_name="ProgrammeRegistrationClosed"):
    activity_id: str


@dataclass(frozen=True)
class ProgrammeRegistrationReopened(Fact, type_name="ProgrammeRegistrationReopened"):
    activity_id: str


@dataclass(frozen=True)
class ProgrammeEntryCancelled(Fact, type_name="ProgrammeEntryCancelled"):
    """Cancelled activities stay in the programme, marked, so that nobody turns up to an empty room."""
    activity_id: str
    reason: str


FACTS = facts_by_type(SectionWritten, SectionSubmitted, SectionPublished, SectionWithdrawn, PublicationScheduled,
                      PublicationUnscheduled, ArticleWritten, ArticleSubmitted, ArticlePublished, ArticleWithdrawn,
                      ArticlePublicationScheduled, ArticlePublicationUnscheduled, MediaUploaded,
                      ActivityListed, ProgrammeEntryChanged,
                      ProgrammeEntryRescheduled, ProgrammeRegistrationClosed, ProgrammeRegistrationReopened,
                      ProgrammeEntryCancelled)

DETAIL_FIELDS = ("organiser", "title", "summary", "starts_at", "ends_at", "attendance", "venue", "region")


def listed_v1_v2(data: dict) -> dict:
    """Version 1 listed the details beside the id; version 2 holds them as one value."""
    return {"activity_id": data["activity_id"], "details": {name: data[name] for name in DETAIL_FIELDS}}


def written_v1_v2(data: dict) -> dict:
    """Version 1 had no restoring: every revision was written afresh."""
    return {**data, "restored_from": None}


def written_v2_v3(data: dict) -> dict:
    """Version 2 had no Easy Read versions: every section was a standard one."""
    return {**data, "easy_read_of": None}


def written_v3_v4(data: dict) -> dict:
    """Version 3 had no sub-sections: every section stood at the top of the guide."""
    return {**data, "parent": None}


UPCASTERS = {("ActivityListed", 1): listed_v1_v2, ("SectionWritten", 1): written_v1_v2,
             ("SectionWritten", 2): written_v2_v3, ("SectionWritten", 3): written_v3_v4}
