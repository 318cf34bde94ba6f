"""What people ask registration to do, in the imperative; each carries who asked (its actor).
An organiser's edit carries the stream version it was made from (If-Match), when it has one."""
from dataclasses import dataclass
from datetime import datetime

from shared.commands import Command
from shared.contracts.registration import ActivityDetails


@dataclass(frozen=True, kw_only=True)
class DraftActivity(Command):
    activity_id: str
    details: ActivityDetails
    capacity: int
    organisation_id: str = ""
    open_now: bool = False


@dataclass(frozen=True, kw_only=True)
class CreateOrganisation(Command):
    organisation_id: str
    name: str


@dataclass(frozen=True, kw_only=True)
class ActivityCommand(Command):
    """A change an organiser makes to an activity."""
    activity_id: str
    expected_version: int | None = None


@dataclass(frozen=True, kw_only=True)
class OpenActivity(ActivityCommand):
    """Open registration, or open it again after closing it."""


@dataclass(frozen=True, kw_only=True)
class CloseRegistration(ActivityCommand):
    pass


@dataclass(frozen=True, kw_only=True)
class ChangeCapacity(ActivityCommand):
    capacity: int


@dataclass(frozen=True, kw_only=True)
class RescheduleActivity(ActivityCommand):
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True, kw_only=True)
class ChangeActivityDetails(ActivityCommand):
    details: ActivityDetails


@dataclass(frozen=True, kw_only=True)
class CancelActivity(ActivityCommand):
    reason: str


@dataclass(frozen=True, kw_only=True)
class Register(Command):
    activity_id: str
    name: str
    email: str
    organisation: str = ""
    access_needs: str = ""  # in the person's own words
    needs: tuple[str, ...] = ()  # chosen from ACCESS_NEEDS
    dietary_needs: str = ""
    with_carer: bool = False  # a carer or personal assistant comes too, and takes a second place
    consent_wording: str = ""  # the words of "tell me about future weeks" when ticked; empty when not


@dataclass(frozen=True, kw_only=True)
class CancelRegistration(ActivityCommand):
    registration_id: str
    by: str  # person | organiser
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class ChangeAccessNeeds(ActivityCommand):
    """The person's own change, from the link in their email: their details sealed again with it."""
    registration_id: str
    access_needs: str
    needs: tuple[str, ...] = ()
    dietary_needs: str = ""


@dataclass(frozen=True, kw_only=True)
class CheckIn(ActivityCommand):
    registration_id: str


@dataclass(frozen=True, kw_only=True)
class UndoCheckIn(ActivityCommand):
    registration_id: str
