"""Notifications' message handlers: what registration tells it about activities and places is kept,
and each registration, change, new time or cancellation becomes queued mail to those it concerns."""
from sqlalchemy import Connection

from shared.actors import Actor
from shared.commands import Registry
from shared.contracts import Envelope
from shared.contracts.registration import (ACTIVITY_CANCELLED, ACTIVITY_CHANGED, ACTIVITY_OPENED, ACTIVITY_RESCHEDULED,
                                           REGISTRATION_CANCELLED, REGISTRATION_CONFIRMED, REGISTRATION_PROMOTED,
                                           REGISTRATION_RESUBMITTED, REGISTRATION_WAITLISTED, ActivityDetails)
from shared.runtime import Runtime

from notifications.announcements import Announcements, is_optional
from notifications.domain.activity import KnownActivity, Place, activity_stream
from notifications.domain.commands import ResendMail, ResolveMail, Unsubscribe
from notifications.domain.mail import Mail, mail_stream
from notifications.postbox import Postbox, mail_id_for

# registration message -> (template, the place it leaves the person holding, a calendar entry?)
PLACE_MAILS = {
    REGISTRATION_CONFIRMED.name: ("registration_confirmed", "confirmed", True),
    REGISTRATION_WAITLISTED.name: ("registration_waitlisted", "waitlisted", False),
    REGISTRATION_PROMOTED.name: ("registration_promoted", "confirmed", True),
    REGISTRATION_RESUBMITTED.name: ("registration_resubmitted", None, False),
}


class Handlers:
    def __init__(self, runtime: Runtime):
        self.vault, self.clock = runtime.vault, runtime.clock
        self.mails = runtime.repository(Mail)
        self.activities = runtime.repository(KnownActivity)
        self.postbox = Postbox(runtime)
        self.announcements = Announcements(runtime)

    def hear_of_activity(self, db: Connection, message: Envelope) -> None:
        activity_id = str(message.payload["activity_id"])
        details = ActivityDetails.from_payload(message.payload)
        self.activities.execute(activity_stream(activity_id), lambda known, _db: known.hear(activity_id, details),
                                Actor.service(message.producer), causation_id=message.id, db=db)

    def queue_registration_mail(self, db: Connection, message: Envelope) -> None:
        """Keep the place the person now holds, and mail them (with a calendar entry for a place)."""
        payload = message.payload
        template, status, with_calendar = PLACE_MAILS[message.type]
        person_id = str(payload["person_id"])
        sealed = self.vault.seal(db, person_id, {"name": payload["name"], "email": payload["email"],
                                                 "manage_url": payload.get("manage_url", "")})
        self.vault.link_email(db, person_id, payload["email"])  # the delivery log finds them by address
        place = Place(str(payload["registration_id"]), person_id, sealed, status or payload.get("status", ""))

        def decide(activity: KnownActivity, _db) -> None:
            activity.require_details()
            if status:
                activity.hold(place.registration_id, person_id, sealed, status)
            self.postbox.queue(db, Actor.service(message.producer), mail_id=mail_id_for(message.id, template),
                               template=template, place=place, activity=activity, cause=message.id,
                               causation_id=message.id, status=payload.get("status", ""), email=payload["email"],
                               calendar=self.postbox.calendar(activity, place) if with_calendar else None)
        self._execute(db, message, decide)

    def release_place(self, db: Connection, message: Envelope) -> None:
        """A cancelled place: mailed with its reason. One cancelled with its activity gets the
        activity's cancellation mail, under the same id as the activity's message would give it."""
        payload = message.payload
        registration_id, by = str(payload["registration_id"]), payload["by"]

        def decide(activity: KnownActivity, _db) -> None:
            activity.require_details()
            held = activity.release(registration_id)
            if held is None:
                return  # never held here, or released already: a redelivery
            if by == "activity_cancelled":
                self._mail_activity_cancelled(db, message, activity, held, payload.get("reason", ""))
                return
            self.postbox.queue(db, Actor.service(message.producer), template="registration_cancelled",
                               mail_id=mail_id_for(message.id, "registration_cancelled"), place=held,
                               activity=activity, cause=message.id, causation_id=message.id, was=held.status,
                               by=by, reason=payload.get("reason", ""), calendar=self._withdrawn(activity, held))
        self._execute(db, message, decide)

    def follow_change(self, db: Connection, message: Envelope) -> None:
        details = ActivityDetails.from_payload(message.payload)
        changed = list(message.payload["changed"])
        self._update(db, message, lambda activity: activity.update(details, changed), "activity_changed",
                     changed=changed)

    def follow_reschedule(self, db: Connection, message: Envelope) -> None:
        payload = message.payload
        self._update(db, message, lambda activity: activity.reschedule(payload["starts_at"], payload["ends_at"]),
                     "activity_rescheduled")

    def follow_cancellation(self, db: Connection, message: Envelope) -> None:
        reason = message.payload.get("reason", "")

        def decide(activity: KnownActivity, _db) -> None:
            if activity.cancel(reason):
                for place in activity.holders():
                    self._mail_activity_cancelled(db, message, activity, place, reason)
        self._execute(db, message, decide)

    def _update(self, db: Connection, message: Envelope, change, template: str, **context) -> None:
        """Record the update, then mail every holder what it now is: an updated calendar entry
        (same UID, the higher sequence) for those with a place."""
        def decide(activity: KnownActivity, _db) -> None:
            before = activity.require_details()
            if not change(activity):
                return
            for place in activity.holders():
                self.postbox.queue(db, Actor.service(message.producer), template=template, place=place,
                                   mail_id=mail_id_for(message.id, template, place.registration_id),
                                   activity=activity, cause=message.id, causation_id=message.id,
                                   before={"starts_at": before.starts_at.isoformat(),
                                           "ends_at": before.ends_at.isoformat()},
                                   calendar=self._entry(activity, place), **context)
        self._execute(db, message, decide)

    def _mail_activity_cancelled(self, db, message: Envelope, activity: KnownActivity, place: Place, reason: str):
        """One mail per booking whichever message tells of it first (the place's or the activity's)."""
        self.postbox.queue(db, Actor.service(message.producer), template="activity_cancelled", place=place,
                           mail_id=mail_id_for(f"activity-cancelled/{activity.activity_id}", "activity_cancelled",
                                               place.registration_id),
                           activity=activity, cause=message.id, causation_id=message.id, was=place.status,
                           reason=reason, calendar=self._withdrawn(activity, place))

    def _entry(self, activity: KnownActivity, place: Place) -> dict | None:
        return self.postbox.calendar(activity, place) if place.status == "confirmed" else None

    def _withdrawn(self, activity: KnownActivity, place: Place) -> dict | None:
        """A place that had a calendar entry gets a cancellation of it, one sequence higher."""
        if place.status != "confirmed":
            return None
        return self.postbox.calendar(activity, place, method="CANCEL", sequence=activity.sequence + 1)

    def _execute(self, db: Connection, message: Envelope, decide) -> None:
        stream = activity_stream(str(message.payload["activity_id"]))
        self.activities.execute(stream, decide, Actor.service(message.producer), causation_id=message.id, db=db)

    def resolve_mail(self, command: ResolveMail) -> None:
        self.mails.execute(mail_stream(command.mail_id), lambda mail, _db: mail.resolve(self.clock(), command.arrived),
                           command.actor)

    def resend_mail(self, command: ResendMail) -> str:
        """The new mail's id: made from the first mail's and how many resends it had, so a retried
        request after a conflict makes the next one, never a second copy of the same."""
        def decide(mail: Mail, db: Connection) -> str:
            new_id = mail_id_for(f"resend-of/{command.mail_id}/{len(mail.resent) + 1}", "resend")
            queued = mail.resend_as(self.clock(), new_id)
            self.postbox.post(db, command.actor, queued, optional=is_optional(queued.template))
            return new_id
        return self.mails.execute(mail_stream(command.mail_id), decide, command.actor)

    def unsubscribe(self, command: Unsubscribe) -> None:
        self.announcements.unsubscribe(command.person_id, command.actor, command.how)

    def registry(self) -> Registry:
        return Registry(commands={ResolveMail: self.resolve_mail, Unsubscribe: self.unsubscribe,
                                  ResendMail: self.resend_mail},
                        messages={ACTIVITY_OPENED: self.hear_of_activity,
                                  ACTIVITY_CHANGED: self.follow_change,
                                  ACTIVITY_RESCHEDULED: self.follow_reschedule,
                                  ACTIVITY_CANCELLED: self.follow_cancellation,
                                  REGISTRATION_CONFIRMED: self.queue_registration_mail,
                                  REGISTRATION_WAITLISTED: self.queue_registration_mail,
                                  REGISTRATION_PROMOTED: self.queue_registration_mail,
                                  REGISTRATION_RESUBMITTED: self.queue_registration_mail,
                                  REGISTRATION_CANCELLED: self.release_place,
                                  **self.announcements.handlers()})
