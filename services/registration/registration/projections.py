"""Read tables for pages and lists; filled from the log by the projector, never by a view."""
from datetime import datetime

from sqlalchemy import (Column, Connection, DateTime, Integer, MetaData, String, Table, Text, insert, select,
                        update)

from shared.eventstore import RecordedFact, as_utc
from shared.projections import Projection

metadata = MetaData()

activities = Table(
    "activities_view", metadata,
    Column("activity_id", String(36), primary_key=True),
    Column("status", String(20), nullable=False),
    Column("organiser", String(200), nullable=False),
    Column("title", String(200), nullable=False),
    Column("summary", Text, nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False, index=True),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("attendance", String(20), nullable=False),
    Column("venue", String(300), nullable=False),
    Column("region", String(100), nullable=False),
    Column("capacity", Integer, nullable=False),
    Column("confirmed", Integer, nullable=False, default=0),
    Column("waitlisted", Integer, nullable=False, default=0),
)

registrations = Table(
    "registrations_view", metadata,
    Column("registration_id", String(36), primary_key=True),
    Column("activity_id", String(36), nullable=False, index=True),
    Column("person_id", String(36), nullable=False, index=True),
    Column("status", String(20), nullable=False),
    Column("registered_at", DateTime(timezone=True), nullable=False),
)


def _drafted(db: Connection, fact: RecordedFact) -> None:
    data = fact.data
    db.execute(insert(activities).values(
        activity_id=data["activity_id"], status="draft", organiser=data["organiser"],
        title=data["title"], summary=data["summary"], starts_at=datetime.fromisoformat(data["starts_at"]),
        ends_at=datetime.fromisoformat(data["ends_at"]), attendance=data["attendance"],
        venue=data["venue"], region=data["region"], capacity=data["capacity"], confirmed=0, waitlisted=0))


def _opened(db: Connection, fact: RecordedFact) -> None:
    db.execute(update(activities).where(activities.c.activity_id == fact.data["activity_id"])
               .values(status="open"))


def _registered(status: str, counter: str):
    def apply(db: Connection, fact: RecordedFact) -> None:
        db.execute(insert(registrations).values(
            registration_id=fact.data["registration_id"], activity_id=fact.data["activity_id"],
            person_id=fact.data["person_id"], status=status, registered_at=fact.recorded_at))
        column = activities.c[counter]
        db.execute(update(activities).where(activities.c.activity_id == fact.data["activity_id"])
                   .values({column: column + 1}))
    return apply


projection = Projection("activities", metadata, {
    "ActivityDrafted": _drafted,
    "ActivityOpened": _opened,
    "RegistrationConfirmed": _registered("confirmed", "confirmed"),
    "RegistrationWaitlisted": _registered("waitlisted", "waitlisted"),
}, version=1)


def open_activities(db: Connection, now: datetime) -> list[dict]:
    query = (select(activities).where(activities.c.status == "open", activities.c.starts_at > now)
             .order_by(activities.c.starts_at, activities.c.title))
    return [_aware(row) for row in db.execute(query)]


def find_activity(db: Connection, activity_id: str) -> dict | None:
    row = db.execute(select(activities).where(activities.c.activity_id == activity_id)).first()
    return _aware(row) if row else None


def _aware(row) -> dict:
    found = dict(row._mapping)
    found.update(starts_at=as_utc(found["starts_at"]), ends_at=as_utc(found["ends_at"]))
    return found
