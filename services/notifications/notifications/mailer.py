"""The mailer: sends each due mail, found through the due-work table (never a read table).

A MailQueued fact schedules "send mail" at once, a MailFailed with a retry time reschedules it, and
a sent, cancelled, given-up or unknown mail removes it. A send records its attempt when it claims
the mail, MailHandedOver just before the final "." and the result after, so that:
- a mailer that dies before the hand-over leaves a claim whose lease runs out: sent again, safely;
- one that dies after it leaves MailHandedOver with no result: when the lease runs out, the mail is
  marked unknown for a person (`unresolved-mail`, `resolve-mail`), never sent again unattended.
Two mailers never hand over the same attempt: the hand-over appends at the attempt's version.
"""
import logging
import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import DBAPIError

from shared import metrics
from shared.actors import Actor
from shared.logs import fields
from shared.runtime import Runtime
from shared.scheduling import Job, Rule, Scheduler, at_once, cancel

from notifications.composer import compose
from notifications.delivery import OutcomeUnknown, PermanentFailure
from notifications.domain.mail import Mail, mail_stream

log = logging.getLogger(__name__)
MAILER = Actor.system("mailer")
SEND_MAIL = "send-mail"
RECORD_FOR = 60.0  # seconds: how long a result the server gave is retried through a database outage


def _mail_id(fact) -> str:
    return fact.data["mail_id"]


def _retry_at(fact, _now) -> datetime | None:
    return datetime.fromisoformat(fact.data["retry_at"]) if fact.data["retry_at"] else None


SCHEDULE = [Rule("MailQueued", SEND_MAIL, _mail_id, at_once),
            Rule("MailResendRequested", SEND_MAIL, _mail_id, at_once),
            Rule("MailFailed", SEND_MAIL, _mail_id, _retry_at),
            *(Rule(done, SEND_MAIL, _mail_id, cancel) for done in ("MailSent", "MailOutcomeUnknown", "MailCancelled"))]


class HandOverRefused(Exception):
    """The hand-over could not be recorded (another mailer took the mail over, or the database is
    away): the final "." is not sent, and the mail's lease brings it back."""


@dataclass
class Attempt:
    mail: Mail
    recipient: dict


class Mailer:
    def __init__(self, runtime: Runtime, delivery, record_for: float = RECORD_FOR):
        self.runtime, self.delivery, self.record_for = runtime, delivery, record_for
        self.mails = runtime.repository(Mail)
        lease = timedelta(seconds=delivery.longest_send + 30)
        self.job = Job(SEND_MAIL, self.claim, then=self.send, lease=lease)

    def scheduler(self, stopping=None) -> Scheduler:
        runtime = self.runtime
        return Scheduler(runtime.engine, runtime.due_work, [self.job], lambda: runtime.clock(), stopping)

    def send_due(self) -> int:
        """Send every mail due now, one after another (tests and one-off runs)."""
        scheduler, sent = self.scheduler(), 0
        while scheduler.run_one():
            sent += 1
        return sent

    def claim(self, db, mail_id: str) -> Attempt | None:
        """In the transaction that leases the due item: the attempt, recorded, or None."""
        mail = self.mails.get(db, mail_stream(mail_id))
        attempt = self._decide(db, mail, self.runtime.clock())
        if mail.pending:
            self.mails.save(db, mail, MAILER)
        else:
            self.runtime.due_work.cancel(db, SEND_MAIL, mail_id)  # nothing left to send
        return attempt

    def _decide(self, db, mail: Mail, now: datetime) -> Attempt | None:
        if mail.status == "handed_over":  # its mailer stopped between the "." and the reply
            log.error("mail outcome unknown", extra=fields(mail_id=mail.queued.mail_id))
            mail.mark_outcome_unknown(now, "no result recorded after the hand-over: the mailer stopped")
            return None
        if not mail.sendable:
            return None
        recipient = self.runtime.vault.unseal(db, mail.queued.person_id, mail.queued.recipient)
        if recipient is None:
            mail.cancel("recipient forgotten")
            return None
        mail.attempt(now)
        return Attempt(mail, recipient)

    def send(self, attempt: Attempt | None) -> None:
        if attempt is None:
            return
        mail, queued = attempt.mail, attempt.mail.queued
        message = compose(queued.mail_id, queued.template, attempt.recipient, queued.context,
                          self.runtime.settings.mail_from)
        try:
            self.delivery.send(message, hand_over=lambda: self._hand_over(mail))
        except HandOverRefused as error:
            log.warning("mail not handed over; tried again when its lease runs out",
                        extra=fields(mail_id=queued.mail_id, error=str(error)))
        except OutcomeUnknown as error:
            reason = str(error)
            log.error("mail outcome unknown", extra=fields(mail_id=queued.mail_id, error=reason))
            self._record(queued.mail_id, lambda m: m.mark_outcome_unknown(self.runtime.clock(), reason))
        except Exception as error:
            reason, permanent = _reason(error), isinstance(error, PermanentFailure)
            metrics.mail_failed(queued.template, permanent)
            log.warning("mail not sent", extra=fields(mail_id=queued.mail_id, error=type(error).__name__))
            self._record(queued.mail_id, lambda m: m.mark_failed(self.runtime.clock(), reason, permanent))
        else:
            self._record(queued.mail_id, lambda m: m.mark_sent(self.runtime.clock()))
            metrics.MAILS_SENT.labels(queued.template).inc()
            log.info("mail sent", extra=fields(mail_id=queued.mail_id, template=queued.template))

    def _hand_over(self, mail: Mail) -> None:
        """Appends at the attempt's version: a mailer whose attempt was taken over cannot."""
        try:
            with self.runtime.engine.begin() as db:
                mail.hand_over(self.runtime.clock())
                self.mails.save(db, mail, MAILER)
        except Exception as error:
            raise HandOverRefused(type(error).__name__) from error

    def _record(self, mail_id: str, change) -> None:
        """The server has answered: keep trying to record it through a short database outage."""
        deadline, delay = time.monotonic() + self.record_for, 0.2
        while True:
            try:
                with self.runtime.engine.begin() as db:
                    mail = self.mails.get(db, mail_stream(mail_id))
                    change(mail)
                    self.mails.save(db, mail, MAILER)
                return
            except DBAPIError as error:
                if time.monotonic() + delay > deadline:
                    log.error("mail result not recorded", extra=fields(mail_id=mail_id, error=type(error).__name__))
                    raise
                time.sleep(delay)  # back-off between tries, not synchronisation
                delay = min(delay * 2, 5.0)


def _reason(error: Exception) -> str:
    """What a failure records: our own words for a refusal (with the server's code), otherwise only
    the error's kind. A server's reply text can quote the address, which no fact may hold in the clear."""
    return str(error) if isinstance(error, PermanentFailure) else type(error).__name__
