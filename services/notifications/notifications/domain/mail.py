"""One outgoing email, from queued to sent. Each attempt is recorded before the send, the hand-over
just before the final "." of the data, and the result after. A crash before the hand-over is safe
to send again (the server discards an unfinished message); one after it leaves the outcome unknown,
for a person to resolve, because sending again could deliver a second copy."""
from dataclasses import replace
from datetime import datetime, timedelta

from shared.aggregate import Aggregate
from shared.errors import DomainError, NotFound

from notifications.domain.facts import (FACTS, MailCancelled, MailFailed, MailHandedOver, MailOutcomeUnknown,
                                        MailQueued, MailResendRequested, MailResent, MailSendAttempted, MailSent)

RETRY_AFTER = (timedelta(seconds=10), timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=30),
               timedelta(hours=2))  # after the first failure, the second, ...; then given up
UNRESOLVED = "unknown"
FINISHED = ("sent", "failed", "cancelled")  # what an admin may send again as a new mail


def mail_stream(mail_id: str) -> str:
    return f"mail-{mail_id}"


class MailNotUnresolved(DomainError):
    """Only a mail whose outcome is unknown can be marked sent or sent again by a person."""
    status = 409


class MailNotFinished(DomainError):
    """A mail still on its way (or unknown: resolve it instead) is not sent again as a new one."""
    status = 409


class Mail(Aggregate):
    facts = FACTS

    def __init__(self, stream: str):
        super().__init__(stream)
        self.queued: MailQueued | None = None
        self.status = "new"
        self.attempts = 0
        self.failures = 0
        self.resent: list[str] = []

    def queue(self, queued: MailQueued) -> None:
        if self.queued is None:
            self.record(queued)

    @property
    def sendable(self) -> bool:
        """Queued, retrying, or an attempt that never reached its hand-over (its mailer died)."""
        return self.status in ("queued", "retrying", "sending")

    def attempt(self, now: datetime) -> None:
        self.record(MailSendAttempted(self.queued.mail_id, self.attempts + 1, now.isoformat()))

    def hand_over(self, now: datetime) -> None:
        self.record(MailHandedOver(self.queued.mail_id, self.attempts, now.isoformat()))

    def mark_sent(self, now: datetime) -> None:
        self.record(MailSent(self.queued.mail_id, self.attempts, now.isoformat()))

    def mark_failed(self, now: datetime, reason: str, permanent: bool) -> None:
        give_up = permanent or self.failures >= len(RETRY_AFTER)
        retry_at = None if give_up else (now + RETRY_AFTER[self.failures]).isoformat()
        self.record(MailFailed(self.queued.mail_id, self.attempts, now.isoformat(), reason[:300], retry_at,
                               permanent))

    def mark_outcome_unknown(self, now: datetime, reason: str) -> None:
        self.record(MailOutcomeUnknown(self.queued.mail_id, self.attempts, now.isoformat(), reason[:300]))

    def resolve(self, now: datetime, arrived: bool) -> None:
        """A person's answer for an unknown mail: it arrived (sent), or send it again."""
        if self.queued is None:
            raise NotFound("no such mail")
        if self.status != UNRESOLVED:
            raise MailNotUnresolved(f"the mail is {self.status}, not unknown")
        self.record(MailSent(self.queued.mail_id, self.attempts, now.isoformat()) if arrived
                    else MailResendRequested(self.queued.mail_id, now.isoformat()))

    def resend_as(self, now: datetime, new_mail_id: str) -> MailQueued:
        """An admin's resend: the new mail's queued fact, linked here. Only a finished mail."""
        if self.queued is None:
            raise NotFound("no such mail")
        if self.status not in FINISHED:
            raise MailNotFinished(f"the mail is {self.status}: only a mail that is {', '.join(FINISHED)} is sent "
                                  f"again as a new one")
        self.record(MailResent(self.queued.mail_id, new_mail_id, now.isoformat()))
        return replace(self.queued, mail_id=new_mail_id, cause=f"resend-of/{self.queued.mail_id}")

    def cancel(self, reason: str) -> None:
        self.record(MailCancelled(self.queued.mail_id, reason))

    def apply(self, fact) -> None:
        match fact:
            case MailQueued():
                self.queued, self.status = fact, "queued"
            case MailResendRequested():
                self.status = "queued"
            case MailSendAttempted():
                self.attempts, self.status = fact.attempt, "sending"
            case MailHandedOver():
                self.status = "handed_over"
            case MailSent():
                self.status = "sent"
            case MailFailed():
                self.failures += 1
                self.status = "retrying" if fact.retry_at else "failed"
            case MailOutcomeUnknown():
                self.status = UNRESOLVED
            case MailCancelled():
                self.status = "cancelled"
            case MailResent():
                self.resent.append(fact.resent_as)
