"""Read tables for pages and lists; filled from the log by the projector, never by a view."""
from datetime import datetime

from sqlalchemy import (Boolean, Column, Connection, DateTime, Integer, MetaData, String, Table, Text, func, insert,
                        select, update)

from shared.eventstore import RecordedFact, as_utc
from shared.projections import Projection

metadata = MetaData()

activities = Table(
    "activities_view", metadata,
    Column("activity_id", String(36), primary_key=True),
    Column("organisation_id", String(100), nullable=False, index=True),  # as long as a token's organisation
    Column("status", String(20), nullable=False),  # draft | open | closed | cancelled
    Column("organiser", String(200), nullable=False),
    Column("title", String(200), nullable=False),
    Column("summary", Text, nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False, index=True),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("attendance", String(20), nullable=False),
    Column("venue", String(300), nullable=False),
    Column("region", String(100), nullable=False),
    Column("capacity", Integer, nullable=False),
    Column("confirmed", Integer, nullable=False, default=0),  # places taken, carers' included
    Column("waitlisted", Integer, nullable=False, default=0),  # people waiting
    Column("cancellation_reason", Text, nullable=False, default=""),
    Column("version", Integer, nullable=False),  # the stream's version: what an edit's If-Match names
)

registrations = Table(
    "registrations_view", metadata,
    Column("registration_id", String(36), primary_key=True),
    Column("activity_id", String(36), nullable=False, index=True),
    Column("person_id", String(36), nullable=False, index=True),
    Column("status", String(20), nullable=False),  # confirmed | waitlisted | cancelled
    Column("places", Integer, nullable=False),
    Column("checked_in", Boolean, nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
)


def _drafted(db: Connection, fact: RecordedFact) -> None:
    details = fact.data["details"]
    db.execute(insert(activities).values(
        {**details, "activity_id": fact.data["activity_id"], "organisation_id": fact.data["organisation_id"],
         "status": "draft", "capacity": fact.data["capacity"], "version": fact.version,
         "starts_at": datetime.fromisoformat(details["starts_at"]), "ends_at": datetime.fromisoformat(details["ends_at"]),
         "confirmed": 0, "waitlisted": 0, "cancellation_reason": ""}))


def _activity(values):
    """Set columns of the activity from the fact: values maps a column to a value or to a function of the fact."""
    def apply(db: Connection, fact: RecordedFact) -> None:
        changes = {name: (value(fact) if callable(value) else value) for name, value in values.items()}
        db.execute(update(activities).where(activities.c.activity_id == fact.data["activity_id"])
                   .values(**changes, version=fact.version))
    return apply


def _details(fact: RecordedFact) -> dict:
    details = dict(fact.data["details"])
    details.update(starts_at=datetime.fromisoformat(details["starts_at"]),
                   ends_at=datetime.fromisoformat(details["ends_at"]))
    return details


def _details_changed(db: Connection, fact: RecordedFact) -> None:
    _activity(_details(fact))(db, fact)


def _registered(status: str):
    def apply(db: Connection, fact: RecordedFact) -> None:
        db.execute(insert(registrations).values(
            registration_id=fact.data["registration_id"], activity_id=fact.data["activity_id"],
            person_id=fact.data["person_id"], status=status, places=fact.data["places"], checked_in=False,
            registered_at=fact.recorded_at))
        _recount(db, fact)
    return apply


def _registration(**values):
    def apply(db: Connection, fact: RecordedFact) -> None:
        db.execute(update(registrations).where(registrations.c.registration_id == fact.data["registration_id"])
                   .values(**values))
        _recount(db, fact)
    return apply


def _recount(db: Connection, fact: RecordedFact) -> None:
    """The activity's counts from its registrations, and its version."""
    mine = registrations.c.activity_id == fact.data["activity_id"]
    confirmed = (select(func.coalesce(func.sum(registrations.c.places), 0))
                 .where(mine, registrations.c.status == "confirmed").scalar_subquery())
    waiting = select(func.count()).where(mine, registrations.c.status == "waitlisted").scalar_subquery()
    _activity({"confirmed": confirmed, "waitlisted": waiting})(db, fact)


projection = Projection("activities", metadata, {
    "ActivityDrafted": _drafted,
    "ActivityOpened": _activity({"status": "open"}),
    "ActivityRegistrationReopened": _activity({"status": "open"}),
    "ActivityRegistrationClosed": _activity({"status": "closed"}),
    "ActivityCancelled": _activity({"status": "cancelled", "cancellation_reason": lambda f: f.data["reason"]}),
    "CapacityChanged": _activity({"capacity": lambda f: f.data["capacity"]}),
    "ActivityRescheduled": _activity({"starts_at": lambda f: datetime.fromisoformat(f.data["starts_at"]),
                                      "ends_at": lambda f: datetime.fromisoformat(f.data["ends_at"])}),
    "ActivityDetailsChanged": _details_changed,
    "RegistrationConfirmed": _registered("confirmed"),
    "RegistrationWaitlisted": _registered("waitlisted"),
    "RegistrationPromoted": _registration(status="confirmed"),
    "RegistrationCancelled": _registration(status="cancelled", checked_in=False),
    "RegistrationCheckedIn": _registration(checked_in=True),
    "RegistrationCheckInUndone": _registration(checked_in=False),
    "RegistrationResubmitted": _activity({}),
    "AccessNeedsChanged": _activity({}),
    "AnnouncementsConsented": _activity({}),
}, version=3)  # 2: organisations, places, check-in, cancellations; 3: organisation ids as long as a token's


def open_activities(db: Connection, now: datetime) -> list[dict]:
    query = (select(activities).where(activities.c.status == "open", activities.c.starts_at > now)
             .order_by(activities.c.starts_at, activities.c.title))
    return [_aware(row) for row in db.execute(query)]


def list_activities(db: Connection, organisation_id: str | None, first: int, count: int) -> tuple[list[dict], int]:
    """One page of the activities, soonest first (an organisation's own, when it names one), and how many in all."""
    mine = [] if organisation_id is None else [activities.c.organisation_id == organisation_id]
    total = db.execute(select(func.count()).select_from(activities).where(*mine)).scalar()
    if first >= total:  # past the end (a page number beyond any database integer, too)
        return [], total
    query = (select(activities).where(*mine).order_by(activities.c.starts_at, activities.c.activity_id)
             .offset(first).limit(count))
    return [_aware(row) for row in db.execute(query)], total


def find_activity(db: Connection, activity_id: str) -> dict | None:
    row = db.execute(select(activities).where(activities.c.activity_id == activity_id)).first()
    return _aware(row) if row else None


def _aware(row) -> dict:
    found = dict(row._mapping)
    found.update(starts_at=as_utc(found["starts_at"]), ends_at=as_utc(found["ends_at"]))
    return found
