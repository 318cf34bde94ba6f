"""An activity of the week, and the guard of its places: confirmed never exceeds capacity."""
from dataclasses import dataclass
from datetime import datetime

from shared.aggregate import Aggregate

from registration.domain import errors
from registration.domain.commands import DraftActivity
from registration.domain.facts import (FACTS, ActivityDrafted, ActivityOpened, RegistrationConfirmed,
                                       RegistrationResubmitted, RegistrationWaitlisted)


def stream_id(activity_id: str) -> str:
    return f"activity-{activity_id}"


@dataclass(frozen=True)
class Place:
    registration_id: str
    status: str  # confirmed | waitlisted


class Activity(Aggregate):
    facts = FACTS
    snapshot_every = 50  # a popular activity's stream grows by one fact per registration
    snapshot_schema = 2

    def __init__(self, stream: str):
        super().__init__(stream)
        self.drafted: ActivityDrafted | None = None
        self.status = "new"
        self.confirmed = 0
        self.places: dict[str, Place] = {}  # by person id

    @property
    def exists(self) -> bool:
        return self.drafted is not None

    def draft(self, command: DraftActivity) -> None:
        if self.exists:
            raise errors.ActivityExists(command.activity_id)
        self.record(ActivityDrafted(activity_id=command.activity_id, details=command.details,
                                    capacity=command.capacity))

    def open(self, now: datetime) -> None:
        self._require_exists()
        if self.status == "open":
            raise errors.AlreadyOpen()
        if now >= self.drafted.details.starts_at:
            raise errors.AlreadyStarted()
        self.record(ActivityOpened(activity_id=self.drafted.activity_id))

    def register(self, registration_id: str, person_id: str, sealed_personal: str, now: datetime) -> Place:
        """Confirm a place while any is left, otherwise join the waitlist; once per person. Someone
        who already holds a place keeps it, and what they sent this time is recorded."""
        self._require_exists()
        if held := self.places.get(person_id):
            self.record(RegistrationResubmitted(registration_id=held.registration_id, activity_id=self.drafted.activity_id,
                                                person_id=person_id, personal=sealed_personal, status=held.status))
            return held
        if self.status != "open":
            raise errors.NotOpen()
        if now >= self.drafted.details.starts_at:
            raise errors.RegistrationClosed()
        fact_type = RegistrationConfirmed if self.confirmed < self.drafted.capacity else RegistrationWaitlisted
        self.record(fact_type(registration_id=registration_id, activity_id=self.drafted.activity_id,
                              person_id=person_id, personal=sealed_personal))
        return self.places[person_id]

    def snapshot(self) -> dict:
        return {"drafted": self.drafted.to_data() if self.drafted else None, "status": self.status,
                "confirmed": self.confirmed,
                "places": {person: [p.registration_id, p.status] for person, p in self.places.items()}}

    def restore(self, state: dict) -> None:
        self.drafted = ActivityDrafted.from_data(state["drafted"]) if state["drafted"] else None
        self.status, self.confirmed = state["status"], state["confirmed"]
        self.places = {person: Place(*place) for person, place in state["places"].items()}

    def apply(self, fact) -> None:
        match fact:
            case ActivityDrafted():
                self.drafted, self.status = fact, "draft"
            case ActivityOpened():
                self.status = "open"
            case RegistrationConfirmed():
                self.confirmed += 1
                self.places[fact.person_id] = Place(fact.registration_id, "confirmed")
            case RegistrationWaitlisted():
                self.places[fact.person_id] = Place(fact.registration_id, "waitlisted")

    def _require_exists(self) -> None:
        if not self.exists:
            raise errors.ActivityNotFound(self.stream_id.removeprefix("activity-"))
