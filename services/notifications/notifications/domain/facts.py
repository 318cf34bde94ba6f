"""What notifications records, in the past tense. A class name is a stored type: never rename one."""
from dataclasses import dataclass


@dataclass(frozen=True)
class MailQueued:
    mail_id: str
    template: str
    person_id: str
    recipient: str  # name and email, sealed with the person's key
    context: dict  # what the template needs besides the recipient: never personal data
    cause: str  # the id of the message that asked for this mail


@dataclass(frozen=True)
class MailSendAttempted:
    mail_id: str
    attempt: int
    at: str


@dataclass(frozen=True)
class MailSent:
    mail_id: str
    attempt: int
    at: str


@dataclass(frozen=True)
class MailFailed:
    mail_id: str
    attempt: int
    at: str
    reason: str
    retry_at: str | None  # None: given up


@dataclass(frozen=True)
class MailHandedOver:
    """Recorded just before the final "." of the data: from here until the server's reply is
    recorded, a crash leaves it unknown whether the server has the mail."""
    mail_id: str
    attempt: int
    at: str


@dataclass(frozen=True)
class MailOutcomeUnknown:
    """The mail was handed over and no reply was recorded: a person must say whether it arrived."""
    mail_id: str
    attempt: int
    at: str
    reason: str


@dataclass(frozen=True)
class MailResendRequested:
    """A person decided an unknown mail did not arrive: it is sent again, with the same Message-ID."""
    mail_id: str
    at: str


@dataclass(frozen=True)
class MailCancelled:
    mail_id: str
    reason: str


FACTS = {cls.__name__: cls for cls in (MailQueued, MailSendAttempted, MailHandedOver, MailSent, MailFailed,
                                        MailOutcomeUnknown, MailResendRequested, MailCancelled)}
