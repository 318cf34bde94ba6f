"""Registration's command handlers: each loads the activity, lets it decide and saves what it
recorded, through Repository.execute (one transaction, retried from fresh state on a conflict)."""
import uuid
from dataclasses import dataclass
from typing import Callable

from shared.commands import Registry
from shared.runtime import Runtime

from registration.bookings import Bookings
from registration.domain import errors
from registration.domain import organisation
from registration.domain.activity import Activity, stream_id
from registration.domain.commands import (ActivityCommand, CancelActivity, CancelRegistration, ChangeAccessNeeds,
                                          ChangeActivityDetails, ChangeCapacity, CheckIn, CloseRegistration,
                                          CreateOrganisation, DraftActivity, OpenActivity, Register, RescheduleActivity,
                                          UndoCheckIn)
from registration.domain.organisation import Organisation


@dataclass(frozen=True)
class Outcome:
    registration_id: str
    status: str


class Handlers:
    def __init__(self, runtime: Runtime):
        self.runtime = runtime
        self.activities = runtime.repository(Activity)
        self.organisations = runtime.repository(Organisation)

    def create_organisation(self, command: CreateOrganisation) -> None:
        self.organisations.execute(organisation.stream_id(command.organisation_id),
                                   lambda created, _db: created.create(command.name), command.actor)

    def draft_activity(self, command: DraftActivity) -> None:
        def decide(activity: Activity, _db) -> None:
            activity.draft(command)
            if command.open_now:
                activity.open(self.runtime.clock())
        self.activities.execute(stream_id(command.activity_id), decide, command.actor)

    def register(self, command: Register) -> Outcome:
        vault = self.runtime.vault

        def decide(activity: Activity, db) -> Outcome:
            person_id = vault.person_for_email(db, command.email)
            personal = {"name": command.name, "email": command.email, "organisation": command.organisation,
                        "access_needs": command.access_needs, "needs": list(command.needs),
                        "dietary_needs": command.dietary_needs, "with_carer": command.with_carer}
            now = self.runtime.clock()
            place = activity.register(str(uuid.uuid4()), person_id, vault.seal(db, person_id, personal), now,
                                      places=2 if command.with_carer else 1)
            if command.consent_wording:
                activity.consent_to_announcements(place, command.consent_wording, now)
            return Outcome(place.registration_id, place.status)
        return self.activities.execute(stream_id(command.activity_id), decide, command.actor)

    def change_access_needs(self, command: ChangeAccessNeeds) -> None:
        """The person's latest details (from the stream, as they last gave them), with the new needs, sealed again."""
        vault = self.runtime.vault

        def decide(activity: Activity, db) -> None:
            booking = Bookings.of(self.runtime).booking(db, command.activity_id, command.registration_id)
            if booking is None:
                raise errors.RegistrationNotFound(command.registration_id)
            personal = {**booking.personal, "access_needs": command.access_needs, "needs": list(command.needs),
                        "dietary_needs": command.dietary_needs}
            activity.change_access_needs(command.registration_id, vault.seal(db, booking.person_id, personal))
        self.activities.execute(stream_id(command.activity_id), decide, command.actor)

    def change_activity(self, command: ActivityCommand) -> int:
        """An organiser's change: decided against the version it was made from, when it says one.
        Returns the activity's version after it, for the next If-Match."""
        def decide(activity: Activity, _db) -> Activity:
            ACTIVITY_CHANGES[type(command)](activity, command, self.runtime.clock)
            return activity
        changed = self.activities.execute(stream_id(command.activity_id), decide, command.actor,
                                          expected_version=command.expected_version)
        return changed.version

    def registry(self) -> Registry:
        return Registry(commands={CreateOrganisation: self.create_organisation,
                                  DraftActivity: self.draft_activity, Register: self.register,
                                  ChangeAccessNeeds: self.change_access_needs,
                                  **{command: self.change_activity for command in ACTIVITY_CHANGES}})


Change = Callable[[Activity, ActivityCommand, Callable], None]
ACTIVITY_CHANGES: dict[type, Change] = {
    OpenActivity: lambda activity, _command, clock: activity.open(clock()),
    CloseRegistration: lambda activity, _command, _clock: activity.close_registration(),
    ChangeCapacity: lambda activity, command, _clock: activity.change_capacity(command.capacity),
    RescheduleActivity: lambda activity, command, _clock: activity.reschedule(command.starts_at, command.ends_at),
    ChangeActivityDetails: lambda activity, command, _clock: activity.change_details(command.details),
    CancelActivity: lambda activity, command, _clock: activity.cancel(command.reason),
    CancelRegistration: lambda activity, command, _clock: activity.cancel_registration(
        command.registration_id, command.by, command.reason),
    CheckIn: lambda activity, command, _clock: activity.check_in(command.registration_id),
    UndoCheckIn: lambda activity, command, _clock: activity.undo_check_in(command.registration_id),
}
