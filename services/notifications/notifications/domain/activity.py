"""An activity as notifications knows it: what registration's messages said of it, kept in this
service's own log, so that every mail about it says what the activity is now, not what a copy frozen
into each registration said. It also keeps who holds a confirmed or waiting place, so that a change,
a new time or a cancellation reaches each of them, and the calendar sequence: every update of the
activity raises it, so that a calendar program replaces the entry it holds."""
from dataclasses import dataclass, replace

from shared.aggregate import Aggregate
from shared.contracts.registration import ActivityDetails
from shared.errors import DomainError
from shared.facts import loaded, stored

from notifications.domain.facts import (FACTS, ActivityCancelledHeard, ActivityHeardOf, ActivityUpdated, PlaceHeld,
                                        PlaceReleased)


class ActivityNotYetKnown(DomainError):
    """A registration's message came before its activity's: the consumer tries again shortly."""
    status = 503

    def __init__(self, activity_id: str):
        super().__init__(f"activity {activity_id} has not been heard of yet")


def activity_stream(activity_id: str) -> str:
    return f"activity-{activity_id}"


@dataclass(frozen=True)
class Place:
    registration_id: str
    person_id: str
    recipient: str  # sealed
    status: str  # confirmed | waitlisted


class KnownActivity(Aggregate):
    facts = FACTS
    snapshot_every = 100  # an activity with hundreds of places loads from its latest snapshot

    def __init__(self, stream: str):
        super().__init__(stream)
        self.details: ActivityDetails | None = None
        self.sequence = 0
        self.cancelled = False
        self.places: dict[str, Place] = {}

    @property
    def activity_id(self) -> str:
        return self.stream_id.removeprefix("activity-")

    def hear(self, activity_id: str, details: ActivityDetails) -> None:
        """Keep the details it opened with; hearing of it again (a redelivery, perhaps after a
        change) records nothing."""
        if self.details is None:
            self.record(ActivityHeardOf(activity_id=activity_id, details=details))

    def update(self, details: ActivityDetails, changed: list[str]) -> bool:
        """A change or a new time; False (nothing recorded) when it is already known."""
        self.require_details()
        if details == self.details:
            return False
        self.record(ActivityUpdated(self.activity_id, details, sequence=self.sequence + 1,
                                    changed=[name for name in changed if name in ActivityDetails.__dataclass_fields__]))
        return True

    def reschedule(self, starts_at, ends_at) -> bool:
        before = self.require_details()
        return self.update(replace(before, starts_at=starts_at, ends_at=ends_at), ["starts_at", "ends_at"])

    def cancel(self, reason: str) -> bool:
        self.require_details()
        if self.cancelled:
            return False
        self.record(ActivityCancelledHeard(self.activity_id, reason))
        return True

    def hold(self, registration_id: str, person_id: str, recipient: str, status: str) -> None:
        held = self.places.get(registration_id)
        if held is None or held.status != status:
            self.record(PlaceHeld(self.activity_id, registration_id, person_id, recipient, status))

    def release(self, registration_id: str) -> Place | None:
        """The place released, as it was (None if it was not held)."""
        held = self.places.get(registration_id)
        if held is not None:
            self.record(PlaceReleased(self.activity_id, registration_id))
        return held

    def holders(self) -> list[Place]:
        return sorted(self.places.values(), key=lambda place: place.registration_id)

    def require_details(self) -> ActivityDetails:
        if self.details is None:
            raise ActivityNotYetKnown(self.activity_id)
        return self.details

    def snapshot(self) -> dict:
        return {"details": stored(self.details), "sequence": self.sequence, "cancelled": self.cancelled,
                "places": [stored(place) for place in self.holders()]}

    def restore(self, state: dict) -> None:
        self.details = loaded(ActivityDetails, state["details"])
        self.sequence, self.cancelled = state["sequence"], state["cancelled"]
        self.places = {place["registration_id"]: Place(**place) for place in state["places"]}

    def apply(self, fact) -> None:
        match fact:
            case ActivityHeardOf():
                self.details = fact.details
            case ActivityUpdated():
                self.details, self.sequence = fact.details, fact.sequence
            case ActivityCancelledHeard():
                self.cancelled = True  # each cancellation entry says sequence + 1, whichever message sent it
            case PlaceHeld():
                self.places[fact.registration_id] = Place(fact.registration_id, fact.person_id, fact.recipient,
                                                          fact.status)
            case PlaceReleased():
                self.places.pop(fact.registration_id, None)
