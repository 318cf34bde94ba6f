"""An activity of the week, and the guard of its places: confirmed never exceeds capacity, and a
place that comes free goes to the first person waiting, at once."""
from datetime import datetime

from shared.aggregate import Aggregate
from shared.contracts.registration import ActivityDetails
from shared.facts import loaded, stored

from registration.domain import errors
from registration.domain.commands import DraftActivity
from registration.domain.facts import (
    FACTS, AccessNeedsChanged, ActivityCancelled, ActivityDetailsChanged, ActivityDrafted, ActivityOpened,
    ActivityRegistrationClosed, ActivityRegistrationReopened, ActivityRescheduled, AnnouncementsConsented, CapacityChanged,
    RegistrationCancelled, RegistrationCheckedIn, RegistrationCheckInUndone, RegistrationConfirmed,
    RegistrationPromoted, RegistrationResubmitted, RegistrationWaitlisted)
from registration.domain.places import Place, Places


def stream_id(activity_id: str) -> str:
    return f"activity-{activity_id}"


class Activity(Aggregate):
    facts = FACTS
    snapshot_every = 50  # a popular activity's stream grows by one fact per registration
    snapshot_schema = 3

    def __init__(self, stream: str):
        super().__init__(stream)
        self.drafted: ActivityDrafted | None = None
        self.details: ActivityDetails | None = None
        self.capacity = 0
        self.status = "new"  # draft | open | closed | cancelled
        self.places = Places()

    @property
    def exists(self) -> bool:
        return self.drafted is not None

    @property
    def organisation_id(self) -> str | None:
        """Whose activity it is; None while there is none."""
        return self.drafted.organisation_id if self.drafted else None

    @property
    def activity_id(self) -> str:
        return self.stream_id.removeprefix("activity-")

    # The activity, as its organiser runs it

    def draft(self, command: DraftActivity) -> None:
        if self.exists:
            raise errors.ActivityExists(command.activity_id)
        self.record(ActivityDrafted(activity_id=command.activity_id, organisation_id=command.organisation_id,
                                    details=command.details, capacity=command.capacity))

    def open(self, now: datetime) -> None:
        self._require_running()
        if self.status == "open":
            raise errors.AlreadyOpen()
        if now >= self.details.starts_at:
            raise errors.AlreadyStarted()
        self.record(ActivityRegistrationReopened(self.activity_id) if self.status == "closed"
                    else ActivityOpened(self.activity_id))

    def close_registration(self) -> None:
        self._require_running()
        if self.status != "open":
            raise errors.NotOpen()
        self.record(ActivityRegistrationClosed(self.activity_id))

    def change_capacity(self, capacity: int) -> None:
        """Lowering below the places already confirmed is refused; raising promotes the waiting."""
        self._require_running()
        if capacity < self.places.confirmed:
            raise errors.CapacityBelowConfirmed(capacity, self.places.confirmed)
        if capacity != self.capacity:
            self.record(CapacityChanged(self.activity_id, capacity))
            self._promote_waiting()

    def reschedule(self, starts_at: datetime, ends_at: datetime) -> None:
        self._require_running()
        if ends_at <= starts_at:
            raise errors.EndsBeforeItStarts()
        if (starts_at, ends_at) != (self.details.starts_at, self.details.ends_at):
            self.record(ActivityRescheduled(self.activity_id, starts_at, ends_at))

    def change_details(self, details: ActivityDetails) -> None:
        """Venue, joining link, title and the like; the times change only by rescheduling."""
        self._require_running()
        details = ActivityDetails(**{**details.__dict__, "starts_at": self.details.starts_at,
                                     "ends_at": self.details.ends_at})
        changed = [name for name in details.__dict__ if getattr(details, name) != getattr(self.details, name)]
        if changed:
            self.record(ActivityDetailsChanged(self.activity_id, details, changed))

    def cancel(self, reason: str) -> None:
        """Cancel the activity and, with it, every place."""
        self._require_running()
        for place in self.places.active():
            self._record_cancellation(place, by="activity_cancelled", reason=reason)
        self.record(ActivityCancelled(self.activity_id, reason))

    # People's places

    def register(self, registration_id: str, person_id: str, sealed_personal: str, now: datetime,
                 places: int = 1) -> Place:
        """Confirm a place while enough are left, otherwise join the waitlist; once per person.
        Someone who already holds a place keeps it, and what they sent this time is recorded."""
        self._require_exists()
        if held := self.places.held_by(person_id):
            self.record(RegistrationResubmitted(held.registration_id, self.activity_id, person_id,
                                                sealed_personal, held.status))
            return held
        self._require_open(now)
        fits = not self.places.waiting() and self.places.confirmed + places <= self.capacity
        fact_type = RegistrationConfirmed if fits else RegistrationWaitlisted
        self.record(fact_type(registration_id, self.activity_id, person_id, sealed_personal, places))
        return self.places.get(registration_id)

    def consent_to_announcements(self, place: Place, wording: str, now: datetime) -> None:
        """The opt-in given with a registration, kept with its words and time."""
        self.record(AnnouncementsConsented(place.registration_id, self.activity_id, place.person_id, wording, now))

    def cancel_registration(self, registration_id: str, by: str, reason: str = "") -> None:
        place = self._place(registration_id)
        if place.status == "cancelled":
            raise errors.AlreadyCancelled()
        self._record_cancellation(place, by, reason)
        self._promote_waiting()

    def change_access_needs(self, registration_id: str, sealed_personal: str) -> None:
        place = self._active_place(registration_id)
        self.record(AccessNeedsChanged(registration_id, self.activity_id, place.person_id, sealed_personal))

    def check_in(self, registration_id: str) -> None:
        place = self._active_place(registration_id)
        if place.status != "confirmed":
            raise errors.NotConfirmed()
        if not place.checked_in:
            self.record(RegistrationCheckedIn(registration_id, self.activity_id, place.person_id))

    def undo_check_in(self, registration_id: str) -> None:
        place = self._active_place(registration_id)
        if place.checked_in:
            self.record(RegistrationCheckInUndone(registration_id, self.activity_id, place.person_id))

    def _promote_waiting(self) -> None:
        """Free places go to the waiting in the order they joined; the first who does not fit
        (a carer's place too many) keeps their turn, and nobody behind them jumps it."""
        for place in self.places.waiting():
            if self.places.confirmed + place.places > self.capacity:
                return
            self.record(RegistrationPromoted(place.registration_id, self.activity_id, place.person_id))

    def _record_cancellation(self, place: Place, by: str, reason: str) -> None:
        self.record(RegistrationCancelled(place.registration_id, self.activity_id, place.person_id,
                                          place.status, by, reason))

    def _place(self, registration_id: str) -> Place:
        self._require_exists()
        place = self.places.get(registration_id)
        if place is None:
            raise errors.RegistrationNotFound(registration_id)
        return place

    def _active_place(self, registration_id: str) -> Place:
        place = self._place(registration_id)
        if place.status == "cancelled":
            raise errors.AlreadyCancelled()
        return place

    def _require_exists(self) -> None:
        if not self.exists:
            raise errors.ActivityNotFound(self.activity_id)

    def _require_running(self) -> None:
        self._require_exists()
        if self.status == "cancelled":
            raise errors.ActivityIsCancelled()

    def _require_open(self, now: datetime) -> None:
        if self.status == "cancelled":
            raise errors.ActivityIsCancelled()
        if self.status != "open":
            raise errors.NotOpen()
        if now >= self.details.starts_at:
            raise errors.RegistrationClosed()

    # Rebuilding state from facts and snapshots

    def snapshot(self) -> dict:
        return {"drafted": self.drafted.to_data() if self.drafted else None,
                "details": stored(self.details), "capacity": self.capacity, "status": self.status,
                "places": self.places.as_state()}

    def restore(self, state: dict) -> None:
        self.drafted = ActivityDrafted.from_data(state["drafted"]) if state["drafted"] else None
        self.details = loaded(ActivityDetails, state["details"])
        self.capacity, self.status = state["capacity"], state["status"]
        self.places = Places.from_state(state["places"])

    def apply(self, fact) -> None:
        match fact:
            case ActivityDrafted():
                self.drafted, self.details, self.capacity, self.status = fact, fact.details, fact.capacity, "draft"
            case ActivityOpened() | ActivityRegistrationReopened():
                self.status = "open"
            case ActivityRegistrationClosed():
                self.status = "closed"
            case ActivityCancelled():
                self.status = "cancelled"
            case CapacityChanged():
                self.capacity = fact.capacity
            case ActivityRescheduled():
                self.details = ActivityDetails(**{**self.details.__dict__, "starts_at": fact.starts_at,
                                                  "ends_at": fact.ends_at})
            case ActivityDetailsChanged():
                self.details = fact.details
            case _:
                self._apply_to_places(fact)

    def _apply_to_places(self, fact) -> None:
        match fact:
            case RegistrationConfirmed() | RegistrationWaitlisted():
                status = "confirmed" if isinstance(fact, RegistrationConfirmed) else "waitlisted"
                self.places.add(Place(fact.registration_id, fact.person_id, status, fact.places))
            case RegistrationPromoted():
                self.places.change(fact.registration_id, status="confirmed")
            case RegistrationCancelled():
                self.places.change(fact.registration_id, status="cancelled", checked_in=False)
            case RegistrationCheckedIn() | RegistrationCheckInUndone():
                self.places.change(fact.registration_id, checked_in=isinstance(fact, RegistrationCheckedIn))

