"""The bookings of one activity as an organiser sees them, rebuilt from the activity's stream: who holds
a place, who waits (in the order they joined), who cancelled, and each person's details unsealed for
the organiser alone. Given a moment, the stream is read up to it, so the list is the one that stood
then, from the facts themselves (no copy is kept for the purpose). Its history is the same stream,
fact by fact, with who did each thing and when.
"""
from dataclasses import dataclass, field, replace
from datetime import datetime

from sqlalchemy import Connection

from shared.eventstore import EventStore, RecordedFact
from shared.personal_data import PersonalDataVault

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


class Bookings:
    def __init__(self, store: EventStore, vault: PersonalDataVault):
        self.store, self.vault = store, vault

    def facts(self, db: Connection, activity_id: str, as_at: datetime | None = None) -> list[RecordedFact]:
        """The activity's facts in order, up to a moment when one is given."""
        recorded = self.store.read_stream(db, stream_id(activity_id))
        return recorded if as_at is None else [f for f in recorded if f.recorded_at <= as_at]

    def listed(self, db: Connection, activity_id: str, status: str, as_at: datetime | None = None) -> list[Booking]:
        """One list (confirmed, waitlisted or cancelled) in the order people registered, its people's
        details still sealed: keep what is shown (a page), then unseal only that."""
        return [b for b in self._sealed(db, activity_id, as_at).values() if b.status == status]

    def unsealed(self, db: Connection, bookings: list[Booking]) -> list[Booking]:
        """The bookings with their people's latest details, every key read at once."""
        personal = self.vault.unseal_all(db, [(b.person_id, b.sealed) for b in bookings])
        return [replace(b, personal=details or FORGOTTEN) for b, details in zip(bookings, personal)]

    def booking(self, db: Connection, activity_id: str, registration_id: str) -> Booking | None:
        """One booking with its person's latest details; None if there is none, or the person was forgotten."""
        found = self._sealed(db, activity_id).get(registration_id)
        personal = found and self.vault.unseal(db, found.person_id, found.sealed)
        return replace(found, personal=personal) if personal else None

    def _sealed(self, db: Connection, activity_id: str, as_at: datetime | None = None) -> dict[str, Booking]:
        found: dict[str, Booking] = {}
        for fact in self.facts(db, activity_id, as_at):
            _apply(found, fact)
        return found


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
