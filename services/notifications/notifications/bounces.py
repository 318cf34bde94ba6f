"""Addresses whose mail failed permanently go on the suppression list, so that they get no more mail
of any kind (the server said it cannot be delivered; sending more would harm the sender's standing).

The mailer records a permanent refusal as a MailFailed marked permanent; a rule on it schedules this
job at once, in the same transaction, and the job (in the transaction that removes its due item, so
exactly once) reads the mail's sealed address and records the suppression under its digest.
"""
from sqlalchemy import Connection

from shared.actors import Actor
from shared.eventstore import RecordedFact
from shared.runtime import Runtime
from shared.scheduling import Job, Rule

from notifications.domain.mail import Mail, mail_stream
from notifications.domain.suppression import FAILED_PERMANENTLY
from notifications.postbox import Postbox

SUPPRESS_ADDRESS = "suppress-address"
SUPPRESSION = Actor.system("suppression list")


class Bounces:
    def __init__(self, runtime: Runtime):
        self.vault, self.clock = runtime.vault, runtime.clock
        self.mails = runtime.repository(Mail)
        self.postbox = Postbox(runtime)
        self.job = Job(SUPPRESS_ADDRESS, self.suppress)

    def rules(self) -> list[Rule]:
        return [Rule("MailFailed", SUPPRESS_ADDRESS, lambda fact: fact.data["mail_id"], _if_permanent)]

    def suppress(self, db: Connection, mail_id: str) -> None:
        queued = self.mails.get(db, mail_stream(mail_id)).queued
        unsealed = queued and self.vault.unseal(db, queued.person_id, queued.recipient)
        if unsealed:
            suppression = self.postbox.suppression(db, unsealed["email"])
            suppression.suppress(FAILED_PERMANENTLY, self.clock(), cause=mail_id)
            self.postbox.suppressions.save(db, suppression, SUPPRESSION)


def _if_permanent(fact: RecordedFact, now):
    return now if fact.data.get("permanent") else None
