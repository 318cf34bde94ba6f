"""The mailer loop: sends each due mail, recording the attempt before and the result after."""
import logging

from shared import metrics
from shared.actors import Actor
from shared.eventstore import ConcurrencyError
from shared.logs import fields
from shared.runtime import Runtime

from notifications.composer import compose
from notifications.delivery import PermanentFailure
from notifications.domain.mail import Mail, mail_stream
from notifications.projections import due_mail

log = logging.getLogger(__name__)
MAILER = Actor.system("mailer")


class Mailer:
    def __init__(self, runtime: Runtime, delivery):
        self.runtime, self.delivery, self.clock = runtime, delivery, runtime.clock
        self.mails = runtime.repository(Mail)

    def step(self) -> int:
        with self.runtime.engine.connect() as db:
            due = due_mail(db, self.clock())
        return sum(self.send(mail_id) for mail_id in due)

    def send(self, mail_id: str) -> bool:
        claimed = self._claim(mail_id)
        if claimed is None:
            return False
        mail, recipient = claimed
        queued = mail.queued
        try:
            self.delivery.send(compose(mail_id, queued.template, recipient, queued.context,
                                       self.runtime.settings.mail_from))
        except Exception as error:
            reason, permanent = type(error).__name__, isinstance(error, PermanentFailure)
            log.warning("mail not sent", extra=fields(mail_id=mail_id, error=reason))
            self._record(mail_id, lambda m: m.failed(self.clock(), reason, permanent))
            metrics.mail_failed(queued.template, permanent)
            return True
        self._record(mail_id, lambda m: m.sent(self.clock()))
        metrics.MAILS_SENT.labels(queued.template).inc()
        log.info("mail sent", extra=fields(mail_id=mail_id, template=queued.template))
        return True

    def _claim(self, mail_id: str):
        """Record the attempt, so no other mailer sends it; None when it is not ours to send."""
        try:
            with self.runtime.engine.begin() as db:
                mail = self.mails.get(db, mail_stream(mail_id))
                if not mail.is_due(self.clock()):
                    return None
                recipient = self.runtime.vault.unseal(db, mail.queued.person_id, mail.queued.recipient)
                if recipient is None:
                    mail.cancel("recipient forgotten")
                else:
                    mail.attempt(self.clock())
                self.mails.save(db, mail, MAILER)
        except ConcurrencyError:
            return None
        return (mail, recipient) if recipient else None

    def _record(self, mail_id: str, change) -> None:
        with self.runtime.engine.begin() as db:
            mail = self.mails.get(db, mail_stream(mail_id))
            change(mail)
            self.mails.save(db, mail, MAILER)
