"""The mailer: sends each due mail, found through the due-work table (never a read table).

A MailQueued fact schedules "send mail" at once, a MailFailed with a retry time reschedules it, and
a sent, cancelled, given-up or unknown mail removes it. A send records its attempt when it claims
the mail, MailHandedOver just before the final "." and the result after, so that:
- a mailer that dies before the hand-over leaves a claim whose lease runs out: sent again, safely;
- one that dies after it leaves MailHandedOver with no result: when the lease runs out, the mail is
  marked unknown for a person (`unresolved-mail`, `resolve-mail`), never sent again unattended.
Two mailers never hand over the same attempt: the hand-over appends at the attempt's version.

Mails go in batches: up to MAIL_BATCH due mails are claimed (their attempts recorded) in one
transaction, sent over one SMTP connection, and their results recorded in one transaction. Only
the hand-over stays one transaction per mail, since it must be durable before that mail's final ".".
A batch is leased for BATCH_LEASE and the lease renewed as the batch goes on, so that the mails of a
mailer that dies come back within seconds; the hand-over extends its own mail's lease for as long as
the server may take to answer the ".". A mail whose lease ran out while it waited its turn is taken
by another sender, and its hand-over here is refused: it is never sent twice.
MAIL_RATE, when set, holds the service to that many mails a second (shared among its senders).
"""
import logging
import os
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy.exc import DBAPIError

from shared import metrics
from shared.actors import Actor
from shared.eventstore import ConcurrencyError
from shared.logs import fields
from shared.runtime import Runtime
from shared.scheduling import Job, Rule, Scheduler, at_once, cancel
from shared.settings import SettingsError

from notifications.announcements import is_optional
from notifications.composer import compose
from notifications.delivery import OutcomeUnknown, PermanentFailure
from notifications.domain.mail import Mail, mail_stream
from notifications.postbox import Postbox

log = logging.getLogger(__name__)
MAILER = Actor.system("mailer")
SEND_MAIL = "send-mail"
RECORD_FOR = 60.0  # seconds: how long a result the server gave is retried through a database outage
MAIL_BATCH = 50  # mails claimed, sent over one connection and recorded together
BATCH_LEASE = timedelta(seconds=15)  # renewed while the batch is sent; what a dead mailer held comes back after it


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
    mail_id: str
    mail: Mail
    recipient: dict | None  # None: nothing to send (cancelled, unknown, or already finished)


class Mailer:
    def __init__(self, runtime: Runtime, delivery, record_for: float = RECORD_FOR, rate: float | None = None):
        self.runtime, self.delivery, self.record_for = runtime, delivery, record_for
        self.mails = runtime.repository(Mail)
        self.postbox = Postbox(runtime)
        rate = rate if rate is not None else mail_rate(os.environ.get("MAIL_RATE"))
        self.pace = Pace(rate)
        self.reply_lease = timedelta(seconds=delivery.longest_send + 30)
        batch = min(MAIL_BATCH, max(1, int(rate * 10))) if rate else MAIL_BATCH  # paced: about 10 s of mail
        self.job = Job(SEND_MAIL, self.claim, then=self.send_all, lease=BATCH_LEASE, batch=batch,
                       save=self.record_claims)

    def scheduler(self, stopping=None) -> Scheduler:
        runtime = self.runtime
        return Scheduler(runtime.engine, runtime.due_work, [self.job], lambda: runtime.clock(), stopping)

    def send_due(self) -> int:
        """Send every mail due now, batch after batch (tests and one-off runs)."""
        scheduler, batches = self.scheduler(), 0
        while scheduler.run_one():
            batches += 1
        return batches

    def claim(self, db, mail_id: str) -> Attempt:
        """In the transaction that leases the due item: the mail, decided on; record_claims() saves
        the decisions of the whole batch together. A copy this mailer kept of the mail is read on
        from, and taken: it is older than the attempt about to be made."""
        stream = mail_stream(mail_id)
        mail = self.mails.get(db, stream, self.mails.recent.take(stream))
        return Attempt(mail_id, mail, self._decide(db, mail, self.runtime.clock()))

    def record_claims(self, db, attempts: list[Attempt]) -> None:
        """At the end of the claim, once every mail of the batch is decided: the append lock is
        held only from the first of these saves to the commit, never while the batch is read."""
        for attempt in attempts:
            if attempt.mail.pending:
                self.mails.save(db, attempt.mail, MAILER)
            else:
                self.runtime.due_work.cancel(db, SEND_MAIL, attempt.mail_id)  # nothing left to send

    def _decide(self, db, mail: Mail, now: datetime) -> dict | None:
        """The recipient to send to, with the attempt recorded on the mail; None when nothing is to be sent."""
        if mail.status == "handed_over":  # its mailer stopped between the "." and the reply
            log.error("mail outcome unknown", extra=fields(mail_id=mail.queued.mail_id))
            mail.mark_outcome_unknown(now, "no result recorded after the hand-over: the mailer stopped")
            return None
        if not mail.sendable:
            return None
        queued = mail.queued
        recipient, held_back = self.postbox.addressee(db, queued.person_id, queued.recipient,
                                                      is_optional(queued.template))
        if held_back:  # forgotten, or suppressed since it was queued
            mail.cancel(held_back)
            return None
        mail.attempt(now)
        return recipient

    def send_all(self, attempts: list[Attempt]) -> None:
        """A claimed batch over one connection. Each mail's result is recorded in the transaction
        of the next mail's hand-over, and the last ones after the batch: one transaction a mail,
        and a mailer that dies leaves at most one mail sent with no result recorded."""
        attempts = [attempt for attempt in attempts if attempt.recipient is not None]
        renew_at, unrecorded = time.monotonic() + BATCH_LEASE.total_seconds() / 3, []
        try:
            with self.delivery.session() as session:
                for index, attempt in enumerate(attempts):
                    self.pace.wait()  # before the renewal: a slow rate may have used up the lease
                    if time.monotonic() > renew_at:
                        self._renew([waiting.mail.queued.mail_id for waiting in attempts[index:]])
                        renew_at = time.monotonic() + BATCH_LEASE.total_seconds() / 3
                    result = self._send(session, attempt, unrecorded)
                    if result is not None:
                        unrecorded.append(result)
        finally:
            self._record(unrecorded)  # what the server answered is kept, whatever stopped the batch

    def _renew(self, mail_ids: list[str]) -> None:
        with self.runtime.engine.begin() as db:
            self.runtime.due_work.extend(db, SEND_MAIL, mail_ids, self.runtime.clock() + BATCH_LEASE)

    def _send(self, session, attempt: Attempt, unrecorded: list):
        """Send one mail: (mail_id, the change to record), or None when nothing is to be recorded."""
        mail, queued = attempt.mail, attempt.mail.queued
        try:
            message = compose(queued.mail_id, queued.template, attempt.recipient, queued.context,
                              self.runtime.settings.mail_from)
            session.send(message, hand_over=lambda: self._hand_over(mail, unrecorded))
        except HandOverRefused as error:
            log.warning("mail not handed over; tried again when its lease runs out",
                        extra=fields(mail_id=queued.mail_id, error=str(error)))
            return None
        except OutcomeUnknown as error:
            reason = str(error)
            log.error("mail outcome unknown", extra=fields(mail_id=queued.mail_id, error=reason))
            return queued.mail_id, lambda m: m.mark_outcome_unknown(self.runtime.clock(), reason)
        except Exception as error:
            reason, permanent = _reason(error), isinstance(error, PermanentFailure)
            metrics.mail_failed(queued.template, permanent)
            log.warning("mail not sent", extra=fields(mail_id=queued.mail_id, error=type(error).__name__))
            return queued.mail_id, lambda m: m.mark_failed(self.runtime.clock(), reason, permanent)
        metrics.MAILS_SENT.labels(queued.template).inc()
        log.info("mail sent", extra=fields(mail_id=queued.mail_id, template=queued.template))
        return queued.mail_id, lambda m: m.mark_sent(self.runtime.clock())

    def _hand_over(self, mail: Mail, unrecorded: list) -> None:
        """Appends at the attempt's version: a mailer whose attempt was taken over cannot. The
        results not yet recorded go in the same transaction."""
        try:
            with self.runtime.engine.begin() as db:
                # what takes no append lock first: the lock is held from the first append to the commit
                self.runtime.due_work.extend(db, SEND_MAIL, [mail.queued.mail_id], self.runtime.clock() + self.reply_lease)
                recorded = self._apply(db, unrecorded)
                mail.hand_over(self.runtime.clock())
                self.mails.save(db, mail, MAILER)
        except Exception as error:
            raise HandOverRefused(type(error).__name__) from error
        self._keep(recorded + [mail])
        unrecorded.clear()

    def _record(self, results: list[tuple[str, Callable[[Mail], None]]]) -> None:
        """The server has answered: record its answers in one transaction, and keep trying through
        a short database outage (or after a stale copy, from the log)."""
        deadline, delay = time.monotonic() + self.record_for, 0.2
        while results:
            try:
                with self.runtime.engine.begin() as db:
                    recorded = self._apply(db, results)
                self._keep(recorded)
                return
            except (DBAPIError, ConcurrencyError) as error:
                if time.monotonic() + delay > deadline:
                    log.error("mail results not recorded", extra=fields(mails=len(results), error=type(error).__name__))
                    raise
                time.sleep(delay)  # back-off between tries, not synchronisation
                delay = min(delay * 2, 5.0)

    def _apply(self, db, results: list[tuple[str, Callable[[Mail], None]]]) -> list[Mail]:
        """Each result on the copy of its mail that this mailer's hand-over committed, or on the mail
        as the log has it; every read before the first append. No one else writes to a mail between
        its hand-over and its result, and if someone did, the append would refuse the stale copy
        (ConcurrencyError) and the next try reads the log."""
        mails = []
        for mail_id, change in results:
            stream = mail_stream(mail_id)
            mails.append((self.mails.recent.take(stream) or self.mails.get(db, stream), change))
        for mail, change in mails:
            change(mail)
            self.mails.save(db, mail, MAILER)
        return [mail for mail, _ in mails]

    def _keep(self, mails: list[Mail]) -> None:
        """Mails as a transaction that has committed left them: the next change to one reads on
        from there instead of replaying its stream (a transaction that fails keeps nothing)."""
        for mail in mails:
            self.mails.recent.give_back(mail)


class Pace:
    """At most `rate` mails a second from this process's senders together (0: no limit): each send
    waits for its slot. The senders of one process share it; MAIL_RATE is per service when one
    worker process sends."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep):
        self.interval = 1.0 / rate if rate > 0 else 0.0
        self.clock, self.sleep = clock, sleep
        self._next, self._lock = clock(), threading.Lock()

    def wait(self) -> None:
        if not self.interval:
            return
        with self._lock:
            slot = max(self._next, self.clock())
            self._next = slot + self.interval
        self.sleep(max(0.0, slot - self.clock()))  # pacing to the configured rate


def mail_rate(value: str | None) -> float:
    """MAIL_RATE: mails a second, e.g. "10" or "0.5"; empty or 0 for no limit."""
    try:
        rate = float(value or 0)
    except ValueError:
        rate = -1.0
    if rate < 0 or rate != rate or rate == float("inf"):
        raise SettingsError(f"MAIL_RATE must be a number of mails a second (0 for no limit), not {value!r}")
    return rate


def _reason(error: Exception) -> str:
    """What a failure records: our own words for a refusal (with the server's code), otherwise only
    the error's kind. A server's reply text can quote the address, which no fact may hold in the clear."""
    return str(error) if isinstance(error, PermanentFailure) else type(error).__name__
