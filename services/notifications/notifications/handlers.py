"""Message handlers of notifications: a fact from another service becomes a queued mail."""
import uuid

from sqlalchemy import Connection

from shared.aggregate import Repository
from shared.contracts import Envelope
from shared.runtime import Runtime
from shared.timefmt import iso_utc

from notifications.domain.facts import MailQueued
from notifications.domain.mail import Mail, mail_stream

TEMPLATES = {
    "registration.registration.confirmed": "registration_confirmed",
    "registration.registration.waitlisted": "registration_waitlisted",
}


class Handlers:
    def __init__(self, runtime: Runtime):
        self.runtime = runtime
        self.mails = Repository(runtime.store, Mail)

    def queue_registration_mail(self, db: Connection, message: Envelope) -> None:
        payload, template = message.payload, TEMPLATES[message.type]
        person_id = str(payload["person_id"])
        mail_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"cpw:mail/{message.id}/{template}"))
        activity = {**payload["activity"], "starts_at": iso_utc(payload["activity"]["starts_at"]),
                    "ends_at": iso_utc(payload["activity"]["ends_at"])}
        sealed = self.runtime.vault.seal(db, person_id, {"name": payload["name"], "email": payload["email"]})
        mail = self.mails.get(db, mail_stream(mail_id))
        mail.queue(MailQueued(mail_id=mail_id, template=template, person_id=person_id, recipient=sealed,
                              context={"activity": activity,
                                       "registration_id": str(payload["registration_id"])},
                              cause=message.id))
        self.mails.save(db, mail, causation_id=message.id, actor=message.producer)

    def message_handlers(self) -> dict:
        return {message_type: self.queue_registration_mail for message_type in TEMPLATES}
