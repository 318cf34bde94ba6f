"""Content's command and message handlers: each loads its aggregate, lets it decide and saves what
it recorded, through Repository.execute."""
from sqlalchemy import Connection

from shared.actors import Actor
from shared.commands import Registry
from shared.contracts import Envelope
from shared.contracts.registration import (ACTIVITY_CANCELLED, ACTIVITY_CHANGED, ACTIVITY_OPENED,
                                           ACTIVITY_REGISTRATION_CLOSED, ACTIVITY_REGISTRATION_REOPENED,
                                           ACTIVITY_RESCHEDULED, ActivityDetails)
from shared.runtime import Runtime

from content.domain.commands import WriteSection
from content.domain.guide import GuideSection, section_stream
from content.domain.programme import ProgrammeEntry, entry_stream


class Handlers:
    def __init__(self, runtime: Runtime):
        self.sections = runtime.repository(GuideSection)
        self.entries = runtime.repository(ProgrammeEntry)

    def write_section(self, command: WriteSection) -> None:
        def decide(section: GuideSection, _db) -> None:
            section.write(command.slug, command.title, command.body, command.position)
            if command.publish:
                section.publish(command.slug)
        self.sections.execute(section_stream(command.slug), decide, command.actor)

    def list_in_programme(self, db: Connection, message: Envelope) -> None:
        """registration.activity.opened -> the activity appears in the week's programme."""
        details = ActivityDetails.from_payload(message.payload)
        self._follow(db, message, lambda entry, activity_id: entry.list(activity_id, details))

    def change_in_programme(self, db: Connection, message: Envelope) -> None:
        details, changed = ActivityDetails.from_payload(message.payload), list(message.payload["changed"])
        self._follow(db, message, lambda entry, activity_id: entry.change(activity_id, details, changed))

    def reschedule_in_programme(self, db: Connection, message: Envelope) -> None:
        starts_at, ends_at = message.payload["starts_at"], message.payload["ends_at"]
        self._follow(db, message, lambda entry, activity_id: entry.reschedule(activity_id, starts_at, ends_at))

    def close_in_programme(self, db: Connection, message: Envelope) -> None:
        self._follow(db, message, lambda entry, activity_id: entry.close_registration(activity_id))

    def reopen_in_programme(self, db: Connection, message: Envelope) -> None:
        self._follow(db, message, lambda entry, activity_id: entry.reopen_registration(activity_id))

    def cancel_in_programme(self, db: Connection, message: Envelope) -> None:
        reason = message.payload.get("reason", "")
        self._follow(db, message, lambda entry, activity_id: entry.cancel(activity_id, reason))

    def _follow(self, db: Connection, message: Envelope, decide) -> None:
        """One of registration's messages about an activity, decided on by its programme entry in
        the consumer's transaction."""
        activity_id = str(message.payload["activity_id"])
        self.entries.execute(entry_stream(activity_id), lambda entry, _db: decide(entry, activity_id),
                             Actor.service(message.producer), causation_id=message.id, db=db)

    def registry(self) -> Registry:
        return Registry(commands={WriteSection: self.write_section},
                        messages={ACTIVITY_OPENED: self.list_in_programme,
                                  ACTIVITY_CHANGED: self.change_in_programme,
                                  ACTIVITY_RESCHEDULED: self.reschedule_in_programme,
                                  ACTIVITY_REGISTRATION_CLOSED: self.close_in_programme,
                                  ACTIVITY_REGISTRATION_REOPENED: self.reopen_in_programme,
                                  ACTIVITY_CANCELLED: self.cancel_in_programme})
