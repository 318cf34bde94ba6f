"""What registration records, in the past tense. A class name is a stored type: never rename one."""
from dataclasses import dataclass


@dataclass(frozen=True)
class ActivityDrafted:
    activity_id: str
    organiser: str
    title: str
    summary: str
    starts_at: str  # ISO 8601, UTC
    ends_at: str
    attendance: str  # online | in_person | hybrid
    venue: str
    region: str
    capacity: int


@dataclass(frozen=True)
class ActivityOpened:
    activity_id: str


@dataclass(frozen=True)
class RegistrationConfirmed:
    registration_id: str
    activity_id: str
    person_id: str
    personal: str  # name, email, organisation and access needs, sealed with the person's key
    activity: dict  # the activity's title, times and place as the person registered for it


@dataclass(frozen=True)
class RegistrationWaitlisted:
    registration_id: str
    activity_id: str
    person_id: str
    personal: str
    activity: dict


FACTS = {cls.__name__: cls for cls in
         (ActivityDrafted, ActivityOpened, RegistrationConfirmed, RegistrationWaitlisted)}
