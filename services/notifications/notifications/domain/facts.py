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
class MailFailed(Fact, type_name="MailFailed", version=2):
    mail_id: str
    attempt: int
    at: str
    reason: str
    retry_at: str | None  # None: given up
    permanent: bool  # the server refused it for good (a 5xx): the address gets no more mail


def failed_v1_v2(data: dict) -> dict:
    """Version 1 told a permanent refusal only by its reason: our own words with the server's 5xx
    code, where any other failure recorded the kind of error alone."""
    permanent = data["retry_at"] is None and "refused by the server (5" in data["reason"]
    return {**data, "permanent": permanent}


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


@dataclass(frozen=True)
class AnnouncementsSubscribed(Fact, type_name="AnnouncementsSubscribed"):
    """A person opted in to announcements (on a registration form): the words they agreed to and
    when; their name and address sealed with their key, so that forgetting them reaches the list."""
    person_id: str
    recipient: str  # name and email, sealed with the person's key
    wording: str
    given_at: str
    registration_id: str


@dataclass(frozen=True)
class AnnouncementsUnsubscribed(Fact, type_name="AnnouncementsUnsubscribed"):
    person_id: str
    at: str
    how: str  # one-click (the mail program's button) | page (the unsubscribe page's button)


@dataclass(frozen=True)
class AddressSuppressed(Fact, type_name="AddressSuppressed"):
    """An address that gets no more optional mail (unsubscribed) or no more mail at all (failed
    permanently). Kept by a keyed digest of the address (the vault's), never the address."""
    address_key: str
    reason: str  # unsubscribed | failed_permanently
    at: str
    cause: str  # the mail that failed, or the person who unsubscribed


@dataclass(frozen=True)
class AddressSuppressionLifted(Fact, type_name="AddressSuppressionLifted"):
    """The address's owner opted in again after unsubscribing."""
    address_key: str
    reason: str
    at: str


@dataclass(frozen=True)
class MailResent(Fact, type_name="MailResent"):
    """An admin sent this mail again: as a new mail, linked here, never a silent duplicate."""
    mail_id: str
    resent_as: str
    at: str


FACTS = facts_by_type(MailQueued, MailSendAttempted, MailHandedOver, MailSent, MailFailed, MailOutcomeUnknown,
                      MailResendRequested, MailCancelled, ActivityHeardOf, ActivityUpdated, ActivityCancelledHeard,
                      PlaceHeld, PlaceReleased, AnnouncementsSubscribed, AnnouncementsUnsubscribed,
                      AddressSuppressed, AddressSuppressionLifted, MailResent)
UPCASTERS = {("MailFailed", 1): failed_v1_v2}
