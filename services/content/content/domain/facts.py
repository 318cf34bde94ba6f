"""What content records, in the past tense. Each fact names the type it is stored as and its schema
version; older versions are brought up to date by the upcasters below, when read."""
from dataclasses import dataclass
from datetime import datetime

from shared.contracts.registration import ActivityDetails
from shared.facts import Fact, facts_by_type


@dataclass(frozen=True)
class SectionWritten(Fact, type_name="SectionWritten"):
    """A new revision of a section of the Co-production Guide (the first one creates it)."""
    slug: str
    revision: int
    title: str
    body: str  # Markdown, no raw HTML
    position: int


@dataclass(frozen=True)
class SectionPublished(Fact, type_name="SectionPublished"):
    slug: str
    revision: int


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


FACTS = facts_by_type(SectionWritten, SectionPublished, ActivityListed, ProgrammeEntryChanged,
                      ProgrammeEntryRescheduled, ProgrammeRegistrationClosed, ProgrammeRegistrationReopened,
                      ProgrammeEntryCancelled)

DETAIL_FIELDS = ("organiser", "title", "summary", "starts_at", "ends_at", "attendance", "venue", "region")


def listed_v1_v2(data: dict) -> dict:
    """Version 1 listed the details beside the id; version 2 holds them as one value."""
    return {"activity_id": data["activity_id"], "details": {name: data[name] for name in DETAIL_FIELDS}}


UPCASTERS = {("ActivityListed", 1): listed_v1_v2}
