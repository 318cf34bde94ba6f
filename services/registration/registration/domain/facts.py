"""What registration records, in the past tense. Each fact names the type it is stored as and its
schema version; older versions are brought up to date by the upcasters at the end, when read.

An activity's stream holds its own facts and those of every registration for it, so that one stream,
read in order, decides every place: confirmed never exceeds capacity, and the waitlist is served
in the order people joined it."""
from dataclasses import dataclass
from datetime import datetime

from shared.contracts.registration import COUNCIL_AREAS, ActivityDetails
from shared.facts import Fact, facts_by_type


@dataclass(frozen=True)
class ActivityDrafted(Fact, type_name="ActivityDrafted", version=4):
    activity_id: str
    organisation_id: str  # the member organisation that runs it ("" for the network's own)
    details: ActivityDetails
    capacity: int


@dataclass(frozen=True)
class ActivityOpened(Fact, type_name="ActivityOpened"):
    activity_id: str


@dataclass(frozen=True)
class ActivityRegistrationClosed(Fact, type_name="ActivityRegistrationClosed"):
    activity_id: str


@dataclass(frozen=True)
class ActivityRegistrationReopened(Fact, type_name="ActivityRegistrationReopened"):
    activity_id: str


@dataclass(frozen=True)
class CapacityChanged(Fact, type_name="CapacityChanged"):
    activity_id: str
    capacity: int


@dataclass(frozen=True)
class ActivityRescheduled(Fact, type_name="ActivityRescheduled"):
    activity_id: str
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class ActivityDetailsChanged(Fact, type_name="ActivityDetailsChanged", version=2):
    activity_id: str
    details: ActivityDetails
    changed: list  # the names of the details that changed, e.g. ["venue"]


@dataclass(frozen=True)
class ActivityCancelled(Fact, type_name="ActivityCancelled"):
    activity_id: str
    reason: str


@dataclass(frozen=True)
class RegistrationConfirmed(Fact, type_name="RegistrationConfirmed", version=3):
    registration_id: str
    activity_id: str
    person_id: str
    personal: str  # name, email, organisation and access needs, sealed with the person's key
    places: int  # 2 when the person brings a carer or personal assistant


@dataclass(frozen=True)
class RegistrationWaitlisted(Fact, type_name="RegistrationWaitlisted", version=3):
    registration_id: str
    activity_id: str
    person_id: str
    personal: str
    places: int


@dataclass(frozen=True)
class RegistrationPromoted(Fact, type_name="RegistrationPromoted"):
    """A waiting person given a place that came free, first come first served."""
    registration_id: str
    activity_id: str
    person_id: str


@dataclass(frozen=True)
class RegistrationCancelled(Fact, type_name="RegistrationCancelled"):
    registration_id: str
    activity_id: str
    person_id: str
    was: str  # confirmed | waitlisted
    by: str  # person | organiser | activity_cancelled
    reason: str


@dataclass(frozen=True)
class RegistrationResubmitted(Fact, type_name="RegistrationResubmitted"):
    """The form sent again for a place the person already holds: the details they gave this time
    (corrected access needs, say) are kept, and the answer goes to their address, never the page."""
    registration_id: str
    activity_id: str
    person_id: str
    personal: str
    status: str  # the place they hold: confirmed | waitlisted


@dataclass(frozen=True)
class AccessNeedsChanged(Fact, type_name="AccessNeedsChanged"):
    registration_id: str
    activity_id: str
    person_id: str
    personal: str  # the person's details with the new access needs, sealed


@dataclass(frozen=True)
class RegistrationCheckedIn(Fact, type_name="RegistrationCheckedIn"):
    registration_id: str
    activity_id: str
    person_id: str


@dataclass(frozen=True)
class RegistrationCheckInUndone(Fact, type_name="RegistrationCheckInUndone"):
    registration_id: str
    activity_id: str
    person_id: str


@dataclass(frozen=True)
class AnnouncementsConsented(Fact, type_name="AnnouncementsConsented"):
    """The person ticked "tell me about future weeks and the Guide" when they registered: the exact
    words they agreed to, and when. Booking emails need no consent and are never recorded as one."""
    registration_id: str
    activity_id: str
    person_id: str
    wording: str
    given_at: datetime


@dataclass(frozen=True)
class OrganisationCreated(Fact, type_name="OrganisationCreated"):
    """A member organisation that runs activities, created by network staff; its organisers' tokens
    act for its id."""
    organisation_id: str
    name: str


FACTS = facts_by_type(
    ActivityDrafted, ActivityOpened, ActivityRegistrationClosed, ActivityRegistrationReopened, CapacityChanged,
    ActivityRescheduled, ActivityDetailsChanged, ActivityCancelled, RegistrationConfirmed, RegistrationWaitlisted,
    RegistrationPromoted, RegistrationCancelled, RegistrationResubmitted, AccessNeedsChanged, RegistrationCheckedIn,
    RegistrationCheckInUndone, AnnouncementsConsented, OrganisationCreated)

DETAIL_FIELDS = ("organiser", "title", "summary", "starts_at", "ends_at", "attendance", "venue", "region")


def drafted_v1_v2(data: dict) -> dict:
    """Version 1 listed the details beside the id; version 2 holds them as one value."""
    return {"activity_id": data["activity_id"], "capacity": data["capacity"],
            "details": {name: data[name] for name in DETAIL_FIELDS}}


def drafted_v2_v3(data: dict) -> dict:
    """Version 3 names the organisation that runs the activity; before it, the network ran them all."""
    return {**data, "organisation_id": ""}


def drafted_v3_v4(data: dict) -> dict:
    """Version 4's details say what the activity is about, its council area and its access provisions;
    before it they said none, and the area is the council area the region names, when it names one."""
    return {**data, "details": _findable(data["details"])}


def details_changed_v1_v2(data: dict) -> dict:
    return {**data, "details": _findable(data["details"])}


def _findable(details: dict) -> dict:
    return {"themes": [], "access_provisions": [], **details,
            "area": details.get("area") or area_named(details.get("region", ""))}


def area_named(region: str) -> str:
    """The council area a region's words name ("Glasgow", "Fife", "Edinburgh"); "" if none."""
    words = " ".join(region.lower().split())
    for key, name in COUNCIL_AREAS.items():
        if words and words in (name.lower(), name.lower().removesuffix(" city"), name.lower().removeprefix("city of ")):
            return key
    return ""


def registration_v1_v2(data: dict) -> dict:
    """Version 1 kept a copy of the activity's details in every registration; the activity's own
    facts hold them, and the other services hear them from the activity's messages."""
    return {key: value for key, value in data.items() if key != "activity"}


def registration_v2_v3(data: dict) -> dict:
    """Version 3 counts the places a registration takes (a carer's as well); before it, one."""
    return {**data, "places": 1}


UPCASTERS = {
    ("ActivityDrafted", 1): drafted_v1_v2,
    ("ActivityDrafted", 2): drafted_v2_v3,
    ("ActivityDrafted", 3): drafted_v3_v4,
    ("ActivityDetailsChanged", 1): details_changed_v1_v2,
    ("RegistrationConfirmed", 1): registration_v1_v2,
    ("RegistrationConfirmed", 2): registration_v2_v3,
    ("RegistrationWaitlisted", 1): registration_v1_v2,
    ("RegistrationWaitlisted", 2): registration_v2_v3,
}
