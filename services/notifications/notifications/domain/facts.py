"""What notifications records, in the past tense. Each fact names the type it is stored as and its
schema version."""
from dataclasses import dataclass

from shared.contracts.registration import ActivityDetails
from shared.facts import Fact, facts_by_type


@dataclass(frozen=True)
class MailQueued(Fact, type_name="MailQueued"):
    mail_id: str
    template: str
    person_id: str
    recipient: str  # name and email, sealed with the person's key
    context: dict  # what the template needs besides the recipient: never personal data
    cause: str  # the id of the message that asked for this mail


@dataclass(frozen=True)
class MailSendAttempted(Fact, type_name="MailSendAttempted"):
    mail_id: str
    attempt: int
    at: str


@dataclass(frozen=True)
class MailSent(Fact, type_name="MailSent"):
    mail_id: str
    attempt: int
    at: str


@dataclass(frozen=True)
class MailFailed(Fact, type_name="MailFailed"):
    mail_id: str
    attempt: int
    at: str
    reason: str
    retry_at: str | None  # None: given up


@dataclass(frozen=True)
class MailHandedOver(Fact, type_name="MailHandedOver"):
    """Recorded just before the final "." of the data: from here until the server's reply is
    recorded, a crash leaves it unknown whether the server has the mail."""
    mail_id: str
    attempt: int
    at: str


@dataclass(frozen=True)
class MailOutcomeUnknown(Fact, type_name="MailOutcomeUnknown"):
    """The mail was handed over and no reply was recorded: a person must say whether it arrived."""
    mail_id: str
    attempt: int
    at: str
    reason: str


@dataclass(frozen=True)
class MailResendRequested(Fact, type_name="MailResendRequested"):
    """A person decided an unknown mail did not arrive: it is sent again, with the same Message-ID."""
    mail_id: str
    at: str


@dataclass(frozen=True)
class MailCancelled(Fact, type_name="MailCancelled"):
    mail_id: str
    reason: str


@dataclass(frozen=True)
class ActivityHeardOf(Fact, type_name="ActivityHeardOf"):
    """An activity registration opened: notifications keeps what its mails say about it."""
    activity_id: str
    details: ActivityDetails


@dataclass(frozen=True)
class ActivityUpdated(Fact, type_name="ActivityUpdated"):
    """Registration changed or rescheduled the activity: the details as they now stand, which of
    them changed, and the calendar sequence its entries now carry."""
    activity_id: str
    details: ActivityDetails
    changed: list
    sequence: int


@dataclass(frozen=True)
class ActivityCancelledHeard(Fact, type_name="ActivityCancelledHeard"):
    activity_id: str
    reason: str


@dataclass(frozen=True)
class PlaceHeld(Fact, type_name="PlaceHeld"):
    """Someone holds a confirmed or waiting place: kept so that a change can be mailed to them."""
    activity_id: str
    registration_id: str
    person_id: str
    recipient: str  # name and email, sealed with the person's key
    status: str  # confirmed | waitlisted


@dataclass(frozen=True)
class PlaceReleased(Fact, type_name="PlaceReleased"):
    activity_id: str
    registration_id: str


FACTS = facts_by_type(MailQueued, MailSendAttempted, MailHandedOver, MailSent, MailFailed, MailOutcomeUnknown,
                      MailResendRequested, MailCancelled, ActivityHeardOf, ActivityUpdated, ActivityCancelledHeard,
                      PlaceHeld, PlaceReleased)
