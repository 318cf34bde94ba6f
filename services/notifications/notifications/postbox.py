"""Queues one mail: the deterministic mail id, the sealed recipient, and the context its templates and
calendar entry need (never personal data). Message handlers, the reminder job, announcements and
resends all queue through it, in the transaction they run in, and so all meet the suppression list
here: a mail to a suppressed address is recorded, and cancelled at once with the reason, so that
the delivery log shows why it never went. The mailer asks the same again when it claims the mail."""
import uuid
from datetime import datetime

from sqlalchemy import Connection

from shared.actors import Actor
from shared.runtime import Runtime

from notifications.calendar_entry import booking_uid
from notifications.domain.activity import KnownActivity, Place
from notifications.domain.facts import MailQueued
from notifications.domain.mail import Mail, mail_stream
from notifications.domain.suppression import Suppression, suppression_stream


def mail_id_for(cause: str, template: str, registration_id: str = "") -> str:
    """The same cause, template and booking always give the same mail: a redelivered message, or
    a job run again, queues nothing new."""
    suffix = f"/{registration_id}" if registration_id else ""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"cpw:mail/{cause}/{template}{suffix}"))


class Postbox:
    def __init__(self, runtime: Runtime):
        self.clock, self.vault = runtime.clock, runtime.vault
        self.mails = runtime.repository(Mail)
        self.suppressions = runtime.repository(Suppression)

    def calendar(self, activity: KnownActivity, place: Place, method: str = "REQUEST",
                 sequence: int | None = None) -> dict:
        """The calendar entry a mail carries: one UID per booking, the activity's sequence."""
        return {"method": method, "uid": booking_uid(place.registration_id),
                "sequence": activity.sequence if sequence is None else sequence, "stamp": self.clock().isoformat()}

    def queue(self, db: Connection, actor: Actor, *, mail_id: str, template: str, place: Place,
              activity: KnownActivity, cause: str, causation_id: str | None = None, email: str | None = None,
              **context) -> None:
        """email: the recipient's address, where the caller has just been told it in the clear (and
        sealed it), so that it is not unsealed again to look it up on the suppression list."""
        queued = MailQueued(mail_id=mail_id, template=template, person_id=place.person_id, recipient=place.recipient,
                            context={"activity": activity.require_details().as_payload(), "calendar": None,
                                     "activity_id": activity.activity_id,
                                     "registration_id": place.registration_id, **_plain(context)},
                            cause=cause)
        self.post(db, actor, queued, causation_id, email=email)

    def post(self, db: Connection, actor: Actor, queued: MailQueued, causation_id: str | None = None,
             optional: bool = False, email: str | None = None) -> None:
        """Queue the mail once (a mail id already queued records nothing). optional: a mail the
        person chose to get (announcements), which an unsubscribed address does not get."""
        held_back = (self.held_back(db, queued.person_id, queued.recipient, optional) if email is None
                     else self._suppressed(db, email, optional))

        def decide(mail: Mail, _db) -> None:
            if mail.queued is None:
                mail.queue(queued)
                if held_back:
                    mail.cancel(held_back)
        self.mails.execute(mail_stream(queued.mail_id), decide, actor, causation_id=causation_id, db=db)

    def held_back(self, db: Connection, person_id: str, recipient: str, optional: bool) -> str | None:
        """Why this mail must not go (its person forgotten, its address suppressed), or None."""
        return self.addressee(db, person_id, recipient, optional)[1]

    def addressee(self, db: Connection, person_id: str, recipient: str,
                  optional: bool) -> tuple[dict | None, str | None]:
        """The unsealed recipient, and why a mail to them must not go, or None: the one check made
        when a mail is queued and again when the mailer claims it, since an address can be
        suppressed (or its person forgotten) while the mail waits."""
        unsealed = self.vault.unseal(db, person_id, recipient)
        if unsealed is None:
            return None, "recipient forgotten"
        return unsealed, self._suppressed(db, unsealed["email"], optional)

    def _suppressed(self, db: Connection, email: str, optional: bool) -> str | None:
        blocked = self.suppression(db, email).blocks(optional)
        return blocked and f"address suppressed: {blocked}"

    def suppression(self, db: Connection, email: str) -> Suppression:
        return self.suppressions.get(db, suppression_stream(self.vault.email_digest(email)))


def _plain(context: dict) -> dict:
    return {key: (value.isoformat() if isinstance(value, datetime) else value) for key, value in context.items()}
