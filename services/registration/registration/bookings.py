"""The bookings of one activity as an organiser sees them: who holds a place, who waits (in the order
they joined), who cancelled, and each person's details unsealed for the organiser alone. Its history is
the activity's stream, fact by fact, with who did each thing and when.

The list as it stands now is read from the registrations read table, which is exactly the log up to
the version the activity's row names (the projector moves both in one transaction, and one statement
reads both, and the stream's version with them), with the stream's facts after that version applied
on top: none when the projector has kept up (the stream is not read then), all of them for an
activity it has not reached. So a list never misses a fact committed before it was read, however far
the projector lags, and costs one query when it does not. Given a moment (`as_at`), the list is
rebuilt from the facts up to it instead: history needs no copy of its own.
"""
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import Connection, func, select

from shared.checkpoints import Checkpoints
from shared.eventstore import EventStore, RecordedFact, as_utc
from shared.personal_data import PersonalDataVault

from registration import projections
from registration.domain.activity import stream_id

SEALED = ("RegistrationConfirmed", "RegistrationWaitlisted", "RegistrationResubmitted", "AccessNeedsChanged")
STATUS_AFTER = {"RegistrationConfirmed": "confirmed", "RegistrationWaitlisted": "waitlisted",
                "RegistrationPromoted": "confirmed", "RegistrationCancelled": "cancelled"}
FORGOTTEN = {"name": "(forgotten)", "email": "", "organisation": "", "access_needs": "", "needs": [],
             "dietary_needs": "", "with_carer": False}


@dataclass(frozen=True)
class Booking:
    registration_id: str
    person_id: str
    status: str  # confirmed | waitlisted | cancelled
    places: int
    registered_at: datetime
    checked_in: bool = False
    cancelled_by: str = ""
    cancellation_reason: str = ""
    sealed: str = field(default="", repr=False)
    personal: dict = field(default_factory=dict)


@dataclass
class Listing:
    """An activity's bookings by registration id, in the order people registered, their people's
    details still sealed, and whose activity it is (None: there is no such activity)."""
    organisation_id: str | None = None
    bookings: dict[str, Booking] = field(default_factory=dict)

    def of_status(self, status: str) -> list[Booking]:
        return [b for b in self.bookings.values() if b.status == status]

    def apply(self, fact: RecordedFact) -> None:
        if fact.type == "ActivityDrafted":
            self.organisation_id = fact.data["organisation_id"]
        else:
            _apply(self.bookings, fact)


class Bookings:
    def __init__(self, store: EventStore, vault: PersonalDataVault, checkpoints: Checkpoints):
        self.store, self.vault, self.checkpoints = store, vault, checkpoints

    @classmethod
    def of(cls, runtime) -> "Bookings":
        """The bookings of the service whose runtime this is."""
        return cls(runtime.store, runtime.vault, runtime.checkpoints)

    def facts(self, db: Connection, activity_id: str, as_at: datetime | None = None) -> list[RecordedFact]:
        """The activity's facts in order, up to a moment when one is given."""
        recorded = self.store.read_stream(db, stream_id(activity_id))
        return recorded if as_at is None else [f for f in recorded if f.recorded_at <= as_at]

    def now(self, db: Connection, activity_id: str) -> Listing:
        """The bookings as the log has them now: the read table, and the stream's facts it has not
        reached yet. While the table is not built at this code's version, the stream alone."""
        if not self._table_current(db):
            return self.at(db, activity_id)
        stream = stream_id(activity_id)
        organisation_id, version, stream_version, rows = projections.booked(db, activity_id,
                                                                            self.version_subquery(stream))
        listing = Listing(organisation_id, {row["registration_id"]: _from_row(row) for row in rows})
        if organisation_id is None or stream_version > version:
            for fact in self.store.read_stream(db, stream, after_version=version):
                listing.apply(fact)
        return listing

    def at(self, db: Connection, activity_id: str, as_at: datetime | None = None) -> Listing:
        """The bookings rebuilt from the facts, up to a moment when one is given."""
        listing = Listing()
        for fact in self.facts(db, activity_id, as_at):
            listing.apply(fact)
        return listing

    def unsealed(self, db: Connection, bookings: list[Booking]) -> list[Booking]:
        """The bookings with their people's latest details, every key read at once."""
        personal = self.vault.unseal_all(db, [(b.person_id, b.sealed) for b in bookings])
        return [replace(b, personal=details or FORGOTTEN) for b, details in zip(bookings, personal)]

    def booking(self, db: Connection, activity_id: str, registration_id: str) -> Booking | None:
        """One booking with its person's latest details; None if there is none, or the person was forgotten."""
        found = self.now(db, activity_id).bookings.get(registration_id)
        personal = found and self.vault.unseal(db, found.person_id, found.sealed)
        return replace(found, personal=personal) if personal else None

    def version_subquery(self, stream: str):
        """The stream's version, as a subquery for the read table's statement."""
        facts = self.store.table
        return select(func.max(facts.c.version)).where(facts.c.stream_id == stream).scalar_subquery()

    def _table_current(self, db: Connection) -> bool:
        projection = projections.projection
        return self.checkpoints.projection_state(db, projection.name).version == projection.version


def _from_row(row) -> Booking:
    return Booking(row["registration_id"], row["person_id"], row["status"], row["places"], as_utc(row["registered_at"]),
                   row["checked_in"], row["cancelled_by"], row["cancellation_reason"], sealed=row["personal"])


def _apply(found: dict[str, Booking], fact: RecordedFact) -> None:
    data = fact.data
    if fact.type in ("RegistrationConfirmed", "RegistrationWaitlisted"):
        found[data["registration_id"]] = Booking(data["registration_id"], data["person_id"], STATUS_AFTER[fact.type],
                                                 data["places"], fact.recorded_at, sealed=data["personal"])
        return
    booking = found.get(data.get("registration_id", ""))
    if booking is None:
        return
    changes = {}
    if fact.type in SEALED:
        changes["sealed"] = data["personal"]
    if fact.type in STATUS_AFTER:
        changes["status"] = STATUS_AFTER[fact.type]
    if fact.type == "RegistrationCancelled":
        changes.update(checked_in=False, cancelled_by=data["by"], cancellation_reason=data["reason"])
    if fact.type in ("RegistrationCheckedIn", "RegistrationCheckInUndone"):
        changes["checked_in"] = fact.type == "RegistrationCheckedIn"
    found[booking.registration_id] = replace(booking, **changes)


def history_entry(fact: RecordedFact) -> dict:
    """One change, as history shows it: what, who (the actor's name from the fact's metadata) and when.
    Personal details stay sealed: history names the registration, never the person's details."""
    actor = fact.metadata.get("actor") or {}
    details = {key: value for key, value in fact.data.items() if key not in ("personal", "activity_id")}
    return {"version": fact.version, "at": fact.recorded_at, "change": fact.type,
            "by": actor.get("name", ""), "by_role": actor.get("role", "") or actor.get("kind", ""),
            "registration_id": details.pop("registration_id", None), "details": details}
