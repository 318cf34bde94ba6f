"""What registration records, in the past tense. Each fact names the type it is stored as and its
schema version; older versions are brought up to date by the upcasters below, when read."""
from dataclasses import dataclass

from shared.contracts.registration import ActivityDetails
from shared.facts import Fact, facts_by_type


@dataclass(frozen=True)
class ActivityDrafted(Fact, type_name="ActivityDrafted", version=2):
    activity_id: str
    details: ActivityDetails
    capacity: int


@dataclass(frozen=True)
class ActivityOpened(Fact, type_name="ActivityOpened"):
    activity_id: str


@dataclass(frozen=True)
class RegistrationConfirmed(Fact, type_name="RegistrationConfirmed", version=2):
    registration_id: str
    activity_id: str
    person_id: str
    personal: str  # name, email, organisation and access needs, sealed with the person's key


@dataclass(frozen=True)
class RegistrationWaitlisted(Fact, type_name="RegistrationWaitlisted", version=2):
    registration_id: str
    activity_id: str
    person_id: str
    personal: str


@dataclass(frozen=True)
class RegistrationResubmitted(Fact, type_name="RegistrationResubmitted"):
    """The form sent again for a place the person already holds: the details they gave this time
    (corrected access needs, say) are kept, and the answer goes to their address, never the page."""
    registration_id: str
    activity_id: str
    person_id: str
    personal: str
    status: str  # the place they hold: confirmed | waitlisted


FACTS = facts_by_type(ActivityDrafted, ActivityOpened, RegistrationConfirmed, RegistrationWaitlisted,
                      RegistrationResubmitted)

DETAIL_FIELDS = ("organiser", "title", "summary", "starts_at", "ends_at", "attendance", "venue", "region")


def drafted_v1_v2(data: dict) -> dict:
    """Version 1 listed the details beside the id; version 2 holds them as one value."""
    return {"activity_id": data["activity_id"], "capacity": data["capacity"],
            "details": {name: data[name] for name in DETAIL_FIELDS}}


def registration_v1_v2(data: dict) -> dict:
    """Version 1 kept a copy of the activity's details in every registration; the activity's own
    facts hold them, and the other services hear them from the activity's messages."""
    return {key: value for key, value in data.items() if key != "activity"}


UPCASTERS = {
    ("ActivityDrafted", 1): drafted_v1_v2,
    ("RegistrationConfirmed", 1): registration_v1_v2,
    ("RegistrationWaitlisted", 1): registration_v1_v2,
}
