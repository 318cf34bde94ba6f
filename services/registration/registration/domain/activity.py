"""An activity of the week, and the guard of its places: confirmed never exceeds capacity."""
from dataclasses import asdict, dataclass
from datetime import datetime

from shared.aggregate import Aggregate
from shared.timefmt import iso_utc

from registration.domain import errors
from registration.domain.commands import DraftActivity
from registration.domain.facts import (FACTS, ActivityDrafted, ActivityOpened, RegistrationConfirmed,
                                       RegistrationWaitlisted)


def stream_id(activity_id: str) -> str:
    return f"activity-{activity_id}"


@dataclass(frozen=True)
class Place:
    registration_id: str
    status: str  # confirmed | waitlisted


class Activity(Aggregate):
    facts = FACTS
    snapshot_every = 50  # a popular activity's stream grows by one fact per registration
    snapshot_schema = 1

    def __init__(self, stream: str):
        super().__init__(stream)
        self.details: ActivityDrafted | None = None
        self.status = "new"
        self.confirmed = 0
        self.places: dict[str, Place] = {}  # by person id

    @property
    def exists(self) -> bool:
        return self.details is not None

    def draft(self, command: DraftActivity) -> None:
        if self.exists:
            raise errors.ActivityExists(command.activity_id)
        self.record(ActivityDrafted(
            activity_id=command.activity_id, organiser=command.organiser, title=command.title,
            summary=command.summary, starts_at=iso_utc(command.starts_at),
            ends_at=iso_utc(command.ends_at), attendance=command.attendance,
            venue=command.venue, region=command.region, capacity=command.capacity))

    def open(self) -> None:
        self._require_exists()
        if self.status == "open":
            raise errors.AlreadyOpen()
        self.record(ActivityOpened(activity_id=self.details.activity_id))

    def register(self, registration_id: str, person_id: str, sealed_personal: str, now: datetime) -> Place:
        """Confirm a place while any is left, otherwise join the waitlist; once per person."""
        self._require_exists()
        if person_id in self.places:
            return self.places[person_id]
        if self.status != "open":
            raise errors.NotOpen()
        if now >= datetime.fromisoformat(self.details.starts_at):
            raise errors.RegistrationClosed()
        fact_type = RegistrationConfirmed if self.confirmed < self.details.capacity else RegistrationWaitlisted
        self.record(fact_type(registration_id=registration_id, activity_id=self.details.activity_id,
                              person_id=person_id, personal=sealed_personal, activity=self.summary()))
        return self.places[person_id]

    def summary(self) -> dict:
        """What a person needs to know to turn up: title, times and place."""
        d = self.details
        return {"title": d.title, "starts_at": d.starts_at, "ends_at": d.ends_at,
                "attendance": d.attendance, "venue": d.venue, "region": d.region}

    def snapshot(self) -> dict:
        return {"details": asdict(self.details) if self.details else None, "status": self.status,
                "confirmed": self.confirmed,
                "places": {person: [p.registration_id, p.status] for person, p in self.places.items()}}

    def restore(self, state: dict) -> None:
        self.details = ActivityDrafted(**state["details"]) if state["details"] else None
        self.status, self.confirmed = state["status"], state["confirmed"]
        self.places = {person: Place(*place) for person, place in state["places"].items()}

    def apply(self, fact) -> None:
        match fact:
            case ActivityDrafted():
                self.details, self.status = fact, "draft"
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
