"""Notifications' message handlers: what registration tells it about activities is kept, and each
registration becomes a queued mail."""
import uuid

from sqlalchemy import Connection

from shared.actors import Actor
from shared.commands import Registry
from shared.contracts import Envelope
from shared.contracts.registration import (ACTIVITY_OPENED, REGISTRATION_CONFIRMED, REGISTRATION_RESUBMITTED,
                                           REGISTRATION_WAITLISTED, ActivityDetails)
from shared.runtime import Runtime

from notifications.domain.activity import KnownActivity, activity_stream
from notifications.domain.commands import ResolveMail
from notifications.domain.facts import MailQueued
from notifications.domain.mail import Mail, mail_stream

TEMPLATES = {
    REGISTRATION_CONFIRMED.name: "registration_confirmed",
    REGISTRATION_WAITLISTED.name: "registration_waitlisted",
    REGISTRATION_RESUBMITTED.name: "registration_resubmitted",
}


class Handlers:
    def __init__(self, runtime: Runtime):
        self.vault, self.clock = runtime.vault, runtime.clock
        self.mails = runtime.repository(Mail)
        self.activities = runtime.repository(KnownActivity)

    def hear_of_activity(self, db: Connection, message: Envelope) -> None:
        activity_id = str(message.payload["activity_id"])
        details = ActivityDetails.from_payload(message.payload)
        self.activities.execute(activity_stream(activity_id), lambda known, _db: known.hear(activity_id, details),
                                Actor.service(message.producer), causation_id=message.id, db=db)

    def queue_registration_mail(self, db: Connection, message: Envelope) -> None:
        payload, template = message.payload, TEMPLATES[message.type]
        activity = self.activities.get(db, activity_stream(str(payload["activity_id"]))).require_details()
        person_id = str(payload["person_id"])
        mail_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"cpw:mail/{message.id}/{template}"))
        sealed = self.vault.seal(db, person_id, {"name": payload["name"], "email": payload["email"]})
        queued = MailQueued(mail_id=mail_id, template=template, person_id=person_id, recipient=sealed,
                            context={"activity": activity.as_payload(), "status": payload.get("status", ""),
                                     "registration_id": str(payload["registration_id"])},
                            cause=message.id)
        self.mails.execute(mail_stream(mail_id), lambda mail, _db: mail.queue(queued),
                           Actor.service(message.producer), causation_id=message.id, db=db)

    def resolve_mail(self, command: ResolveMail) -> None:
        self.mails.execute(mail_stream(command.mail_id), lambda mail, _db: mail.resolve(self.clock(), command.arrived),
                           command.actor)

    def registry(self) -> Registry:
        return Registry(commands={ResolveMail: self.resolve_mail},
                        messages={ACTIVITY_OPENED: self.hear_of_activity,
                                  REGISTRATION_CONFIRMED: self.queue_registration_mail,
                                  REGISTRATION_WAITLISTED: self.queue_registration_mail,
                                  REGISTRATION_RESUBMITTED: self.queue_registration_mail})
