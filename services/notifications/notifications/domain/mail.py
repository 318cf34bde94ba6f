"""One outgoing email, from queued to sent. Each attempt is recorded before the send and its result
after, so a crash between the two is visible: the mail stays 'sending' and is never sent again
unattended (it would be a second email), and an admin can see it."""
from datetime import datetime, timedelta

from shared.aggregate import Aggregate

from notifications.domain.facts import FACTS, MailCancelled, MailFailed, MailQueued, MailSendAttempted, MailSent

MAX_ATTEMPTS = 6


def mail_stream(mail_id: str) -> str:
    return f"mail-{mail_id}"


class Mail(Aggregate):
    facts = FACTS

    def __init__(self, stream: str):
        super().__init__(stream)
        self.queued: MailQueued | None = None
        self.status = "new"
        self.attempts = 0
        self.retry_at: datetime | None = None

    def queue(self, queued: MailQueued) -> None:
        if self.queued is None:
            self.record(queued)

    def is_due(self, now: datetime) -> bool:
        return self.status == "queued" or (self.status == "retrying" and self.retry_at <= now)

    def attempt(self, now: datetime) -> None:
        self.record(MailSendAttempted(self.queued.mail_id, self.attempts + 1, now.isoformat()))

    def sent(self, now: datetime) -> None:
        self.record(MailSent(self.queued.mail_id, self.attempts, now.isoformat()))

    def failed(self, now: datetime, reason: str, permanent: bool) -> None:
        give_up = permanent or self.attempts >= MAX_ATTEMPTS
        retry_at = None if give_up else (now + timedelta(minutes=2 ** self.attempts)).isoformat()
        self.record(MailFailed(self.queued.mail_id, self.attempts, now.isoformat(), reason[:300], retry_at))

    def cancel(self, reason: str) -> None:
        self.record(MailCancelled(self.queued.mail_id, reason))

    def apply(self, fact) -> None:
        match fact:
            case MailQueued():
                self.queued, self.status = fact, "queued"
            case MailSendAttempted():
                self.attempts, self.status = fact.attempt, "sending"
            case MailSent():
                self.status = "sent"
            case MailFailed():
                self.status = "retrying" if fact.retry_at else "failed"
                self.retry_at = datetime.fromisoformat(fact.retry_at) if fact.retry_at else None
            case MailCancelled():
                self.status = "cancelled"
