"""Read tables for pages and lists; filled from the log by the projector, never by a view."""
from datetime import datetime

from sqlalchemy import Boolean, Column, Connection, DateTime, Integer, MetaData, String, Table, Text, func, or_, select

from shared.batch_rows import Rows
from shared.eventstore import RecordedFact, as_utc
from shared.projections import Projection

from registration.finding import JOINABLE_ONLINE, NO_FILTERS, ONLINE, Filters

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
    Column("area", String(60), nullable=False, default=""),
    Column("themes", Text, nullable=False, default=""),  # as a LIST_MARK-separated list: |housing|education|
    Column("access_provisions", Text, nullable=False, default=""),
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
    Column("registered_version", Integer, nullable=False),  # the stream's version then: the order people joined
    Column("personal", Text, nullable=False),  # the person's latest details, sealed as the log has them
    Column("cancelled_by", String(40), nullable=False, default=""),
    Column("cancellation_reason", Text, nullable=False, default=""),
)

organisations = Table(  # the member organisations, for the admins' list
    "organisations_view", metadata,
    Column("organisation_id", String(100), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


LISTS = ("themes", "access_provisions")
LIST_MARK = "|"


def _drafted(rows: Rows, fact: RecordedFact) -> None:
    rows.insert(activities, **_details(fact), activity_id=fact.data["activity_id"],
                organisation_id=fact.data["organisation_id"], status="draft", capacity=fact.data["capacity"],
                version=fact.version, confirmed=0, waitlisted=0, cancellation_reason="")


def _activity(values):
    """Set columns of the activity from the fact: values maps a column to a value or to a function of the fact."""
    def apply(rows: Rows, fact: RecordedFact) -> None:
        changes = {name: (value(fact) if callable(value) else value) for name, value in values.items()}
        rows.update(activities, fact.data["activity_id"], **changes, version=fact.version)
    return apply


def _details(fact: RecordedFact) -> dict:
    """The details as columns: times as moments, each list as one text that a LIKE can search."""
    details = dict(fact.data["details"])
    details.update(starts_at=datetime.fromisoformat(details["starts_at"]),
                   ends_at=datetime.fromisoformat(details["ends_at"]),
                   **{name: _marked(details[name]) for name in LISTS})
    return details


def _marked(items: list[str]) -> str:
    return f"{LIST_MARK}{LIST_MARK.join(items)}{LIST_MARK}" if items else ""


def _unmarked(text: str) -> list[str]:
    return [item for item in text.split(LIST_MARK) if item]


def _details_changed(rows: Rows, fact: RecordedFact) -> None:
    _activity(_details(fact))(rows, fact)


def _organisation_created(rows: Rows, fact: RecordedFact) -> None:
    rows.insert(organisations, organisation_id=fact.data["organisation_id"], name=fact.data["name"],
                created_at=fact.recorded_at)


def _registered(status: str):
    def apply(rows: Rows, fact: RecordedFact) -> None:
        rows.insert(registrations, registration_id=fact.data["registration_id"], activity_id=fact.data["activity_id"],
                    person_id=fact.data["person_id"], status=status, places=fact.data["places"], checked_in=False,
                    registered_at=fact.recorded_at, registered_version=fact.version, personal=fact.data["personal"],
                    cancelled_by="", cancellation_reason="")
        _count(rows, fact, *_counted(status, fact.data["places"]))
    return apply


def _registration(**fixed):
    """Set columns of the registration: each value fixed, or a function of the fact; then move the counts."""
    def apply(rows: Rows, fact: RecordedFact) -> None:
        values = {name: (value(fact) if callable(value) else value) for name, value in fixed.items()}
        was = rows.one(registrations, fact.data["registration_id"])
        rows.update(registrations, fact.data["registration_id"], **values)
        places = was["places"]
        before, after = _counted(was["status"], places), _counted(values.get("status", was["status"]), places)
        _count(rows, fact, after[0] - before[0], after[1] - before[1])
    return apply


def _counted(status: str, places: int) -> tuple[int, int]:
    """What a registration adds to its activity's (confirmed places, people waiting)."""
    return (places if status == "confirmed" else 0), (1 if status == "waitlisted" else 0)


def _count(rows: Rows, fact: RecordedFact, confirmed: int, waitlisted: int) -> None:
    """The activity's counts moved by what changed (never counted again from every registration:
    that would make each registration slower than the one before), and its version."""
    counts = rows.get(activities, fact.data["activity_id"]) or {"confirmed": 0, "waitlisted": 0}
    _activity({"confirmed": counts["confirmed"] + confirmed, "waitlisted": counts["waitlisted"] + waitlisted})(rows, fact)


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
    "RegistrationCancelled": _registration(status="cancelled", checked_in=False, cancelled_by=lambda f: f.data["by"],
                                           cancellation_reason=lambda f: f.data["reason"]),
    "RegistrationCheckedIn": _registration(checked_in=True),
    "RegistrationCheckInUndone": _registration(checked_in=False),
    "RegistrationResubmitted": _registration(personal=lambda f: f.data["personal"]),
    "AccessNeedsChanged": _registration(personal=lambda f: f.data["personal"]),
    "AnnouncementsConsented": _activity({}),
    "OrganisationCreated": _organisation_created,
}, version=5)  # 2: organisations, places, check-in, cancellations; 3: organisation ids as long as a token's;
# 4: area, themes and access provisions; the organisations (one projection: the projector reads the log once);
# 5: each registration's order, sealed details and cancellation, for the organiser's lists


def open_activities(db: Connection, now: datetime, wanted: Filters = NO_FILTERS) -> list[dict]:
    """The activities open for registration that have not started, soonest first, that match every filter."""
    query = (select(activities).where(*_open(now), *_matching(wanted))
             .order_by(activities.c.starts_at, activities.c.title))
    return [_aware(row) for row in db.execute(query)]


def open_days(db: Connection, now: datetime) -> list[datetime]:
    """When each open activity starts, soonest first: the days a person may choose from."""
    return [as_utc(moment) for moment in db.scalars(select(activities.c.starts_at).where(*_open(now))
                                                    .order_by(activities.c.starts_at))]


def _open(now: datetime) -> list:
    return [activities.c.status == "open", activities.c.starts_at > now]


def _matching(wanted: Filters) -> list:
    """The conditions of the filters (finding.py says how they combine); none for no filters."""
    c = activities.c
    conditions = [c.access_provisions.contains(_marked([provision])) for provision in wanted.provisions]
    if wanted.themes:
        conditions.append(or_(*(c.themes.contains(_marked([theme])) for theme in wanted.themes)))
    if wanted.formats:
        conditions.append(c.attendance.in_(wanted.formats))
    if wanted.day:
        start, end = wanted.day_bounds()
        conditions += [c.starts_at >= start, c.starts_at < end]
    if wanted.area:
        conditions.append(c.attendance.in_(JOINABLE_ONLINE) if wanted.area == ONLINE else c.area == wanted.area)
    if wanted.text:
        conditions.append(or_(*(func.lower(column).contains(wanted.text.lower(), autoescape=True)
                                for column in (c.title, c.summary, c.organiser))))
    return conditions


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


def booked(db: Connection, activity_id: str, stream_version) -> tuple[str | None, int, int, list]:
    """The activity's organisation, the version of its stream its row was projected to, the stream's
    version (stream_version: a scalar subquery on the log), and its registrations in the order people
    joined, as of the projected version: one statement, so one snapshot of all three (the projector
    moves the tables together). (None, 0, 0, []) for an activity not projected yet."""
    r = registrations.c
    query = (select(activities.c.organisation_id, activities.c.version, stream_version.label("stream_version"), *r)
             .select_from(activities.outerjoin(registrations, r.activity_id == activities.c.activity_id))
             .where(activities.c.activity_id == activity_id).order_by(r.registered_version))
    rows = db.execute(query).mappings().all()
    if not rows:
        return None, 0, 0, []
    first = rows[0]
    return (first["organisation_id"], first["version"], first["stream_version"] or 0,
            [row for row in rows if row["registration_id"]])


def _aware(row) -> dict:
    found = dict(row._mapping)
    found.update(starts_at=as_utc(found["starts_at"]), ends_at=as_utc(found["ends_at"]),
                 **{name: _unmarked(found[name]) for name in LISTS})
    return found


def list_organisations(db: Connection, first: int, count: int) -> tuple[list[dict], int]:
    """One page of the organisations, by name, and how many in all."""
    total = db.execute(select(func.count()).select_from(organisations)).scalar()
    if first >= total:
        return [], total
    query = (select(organisations).order_by(organisations.c.name, organisations.c.organisation_id)
             .offset(first).limit(count))
    return [{**row._mapping, "created_at": as_utc(row.created_at)} for row in db.execute(query)], total
