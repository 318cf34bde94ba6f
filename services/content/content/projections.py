"""Read tables of content: the live guide and the week's programme."""
from datetime import datetime

from markdown_it import MarkdownIt
from sqlalchemy import (Column, Connection, DateTime, Integer, MetaData, String, Table, Text, delete, insert, select,
                        update)

from shared.eventstore import RecordedFact, as_utc
from shared.projections import Projection

metadata = MetaData()
markdown = MarkdownIt("commonmark", {"html": False})

drafts = Table(
    "guide_revisions_view", metadata,
    Column("slug", String(100), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("position", Integer, nullable=False),
)
guide = Table(
    "guide_view", metadata,
    Column("slug", String(100), primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("title", String(200), nullable=False),
    Column("body_html", Text, nullable=False),
    Column("position", Integer, nullable=False, index=True),
    Column("published_at", DateTime(timezone=True), nullable=False),
)
programme = Table(
    "programme_view", metadata,
    Column("activity_id", String(36), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("summary", Text, nullable=False),
    Column("organiser", String(200), nullable=False),
    Column("starts_at", DateTime(timezone=True), nullable=False, index=True),
    Column("ends_at", DateTime(timezone=True), nullable=False),
    Column("attendance", String(20), nullable=False),
    Column("venue", String(300), nullable=False),
    Column("region", String(100), nullable=False),
    Column("status", String(20), nullable=False, default="open"),  # open | closed | cancelled
    Column("reason", Text, nullable=False, default=""),  # why it was cancelled
)


def _written(db: Connection, fact: RecordedFact) -> None:
    db.execute(insert(drafts).values(**fact.data))


def _published(db: Connection, fact: RecordedFact) -> None:
    revision = db.execute(select(drafts).where(drafts.c.slug == fact.data["slug"],
                                               drafts.c.revision == fact.data["revision"])).one()
    db.execute(delete(guide).where(guide.c.slug == revision.slug))
    db.execute(insert(guide).values(slug=revision.slug, revision=revision.revision, title=revision.title,
                                    body_html=markdown.render(revision.body), position=revision.position,
                                    published_at=fact.recorded_at))


def _listed(db: Connection, fact: RecordedFact) -> None:
    db.execute(insert(programme).values({**_details(fact.data["details"]), "activity_id": fact.data["activity_id"],
                                         "status": "open", "reason": ""}))


def _entry_changed(db: Connection, fact: RecordedFact) -> None:
    _update_entry(db, fact, **_details(fact.data["details"]))


def _rescheduled(db: Connection, fact: RecordedFact) -> None:
    _update_entry(db, fact, starts_at=datetime.fromisoformat(fact.data["starts_at"]),
                  ends_at=datetime.fromisoformat(fact.data["ends_at"]))


def _details(details: dict) -> dict:
    return {**details, "starts_at": datetime.fromisoformat(details["starts_at"]),
            "ends_at": datetime.fromisoformat(details["ends_at"])}


def _update_entry(db: Connection, fact: RecordedFact, **values) -> None:
    db.execute(update(programme).where(programme.c.activity_id == fact.data["activity_id"]).values(**values))


def _status(status: str):
    return lambda db, fact: _update_entry(db, fact, status=status, reason=fact.data.get("reason", ""))


projection = Projection("content", metadata, {
    "SectionWritten": _written,
    "SectionPublished": _published,
    "ActivityListed": _listed,
    "ProgrammeEntryChanged": _entry_changed,
    "ProgrammeEntryRescheduled": _rescheduled,
    "ProgrammeRegistrationClosed": _status("closed"),
    "ProgrammeRegistrationReopened": _status("open"),
    "ProgrammeEntryCancelled": _status("cancelled"),
}, version=2)


def guide_sections(db: Connection) -> list[dict]:
    return [dict(row._mapping) for row in db.execute(select(guide).order_by(guide.c.position, guide.c.slug))]


def programme_entries(db: Connection) -> list[dict]:
    rows = db.execute(select(programme).order_by(programme.c.starts_at, programme.c.title))
    return [{**row._mapping, "starts_at": as_utc(row.starts_at), "ends_at": as_utc(row.ends_at)} for row in rows]
