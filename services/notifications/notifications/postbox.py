"""Queues one mail to one place-holder: the deterministic mail id, the sealed recipient, and the
context its templates and calendar entry need (never personal data). Message handlers and the
reminder job both queue through it, in the transaction they run in."""
import uuid
from datetime import datetime

from sqlalchemy import Connection

from shared.actors import Actor
from shared.runtime import Runtime

from notifications.calendar_entry import booking_uid
from notifications.domain.activity import KnownActivity, Place
from notifications.domain.facts import MailQueued
from notifications.domain.mail import Mail, mail_stream


def mail_id_for(cause: str, template: str, registration_id: str = "") -> str:
    """The same cause, template and booking always give the same mail: a redelivered message, or
    a job run again, queues nothing new."""
    suffix = f"/{registration_id}" if registration_id else ""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"cpw:mail/{cause}/{template}{suffix}"))


class Postbox:
    def __init__(self, runtime: Runtime):
        self.clock = runtime.clock
        self.mails = runtime.repository(Mail)

    def calendar(self, activity: KnownActivity, place: Place, method: str = "REQUEST",
                 sequence: int | None = None) -> dict:
        """The calendar entry a mail carries: one UID per booking, the activity's sequence."""
        return {"method": method, "uid": booking_uid(place.registration_id),
                "sequence": activity.sequence if sequence is None else sequence, "stamp": self.clock().isoformat()}

    def queue(self, db: Connection, actor: Actor, *, mail_id: str, template: str, place: Place,
              activity: KnownActivity, cause: str, causation_id: str | None = None, **context) -> None:
        queued = MailQueued(mail_id=mail_id, template=template, person_id=place.person_id, recipient=place.recipient,
                            context={"activity": activity.require_details().as_payload(), "calendar": None,
                                     "registration_id": place.registration_id, **_plain(context)},
                            cause=cause)
        self.mails.execute(mail_stream(mail_id), lambda mail, _db: mail.queue(queued), actor,
                           causation_id=causation_id, db=db)


def _plain(context: dict) -> dict:
    return {key: (value.isoformat() if isinstance(value, datetime) else value) for key, value in context.items()}
