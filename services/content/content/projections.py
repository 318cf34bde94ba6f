"""Read tables of content: the live guide and the week's programme."""
from datetime import datetime

from sqlalchemy import Column, Connection, DateTime, Integer, MetaData, String, Table, Text, select

from shared.batch_rows import Rows
from shared.eventstore import RecordedFact, as_utc
from shared.projections import Projection

from content import text

metadata = MetaData()

revisions = Table(
    "guide_revisions_view", metadata,
    Column("slug", String(100), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
    Column("body_html", Text, nullable=False),
    Column("position", Integer, nullable=False),
    Column("restored_from", Integer),
    Column("written_at", DateTime(timezone=True), nullable=False),
    Column("state", String(20), nullable=False),  # draft | submitted | published (at least once)
    Column("published_at", DateTime(timezone=True)),  # when first published
    Column("change_summary", Text),  # what changed since the revision live before it
    Column("easy_read_of", String(100)),
    Column("parent", String(100)),
)
guide = Table(
    "guide_view", metadata,
    Column("slug", String(100), primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("title", String(200), nullable=False),
    Column("body_html", Text, nullable=False),
    Column("position", Integer, nullable=False, index=True),
    Column("published_at", DateTime(timezone=True), nullable=False),
    Column("easy_read_of", String(100), index=True),  # the standard section this is the Easy Read version of
    Column("parent", String(100)),  # the section this is a sub-section of
)
schedule = Table(
    "guide_schedule_view", metadata,
    Column("slug", String(100), primary_key=True),
    Column("revision", Integer, nullable=False),
    Column("publish_at", DateTime(timezone=True), nullable=False),
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


def _written(rows: Rows, fact: RecordedFact) -> None:
    rows.insert(revisions, **fact.data, body_html=text.render(fact.data["body"]), written_at=fact.recorded_at,
                state="draft")


def _submitted(rows: Rows, fact: RecordedFact) -> None:
    revision = rows.get(revisions, *_the_revision(fact))
    if revision and revision["state"] == "draft":
        rows.update(revisions, *_the_revision(fact), state="submitted")


def _published(rows: Rows, fact: RecordedFact) -> None:
    revision = rows.one(revisions, *_the_revision(fact))
    if revision["published_at"] is None:
        before = rows.get(guide, revision["slug"])
        before_body = rows.one(revisions, revision["slug"], before["revision"])["body"] if before else ""
        rows.update(revisions, *_the_revision(fact), state="published", published_at=fact.recorded_at,
                    change_summary=text.change_summary(before_body, revision["body"]))
    _unscheduled(rows, fact)
    rows.delete(guide, revision["slug"])
    rows.insert(guide, published_at=fact.recorded_at, **{name: revision[name] for name in (
        "slug", "revision", "title", "body_html", "position", "easy_read_of", "parent")})


def _scheduled(rows: Rows, fact: RecordedFact) -> None:
    _unscheduled(rows, fact)
    rows.insert(schedule, slug=fact.data["slug"], revision=fact.data["revision"],
                publish_at=datetime.fromisoformat(fact.data["at"]))


def _unscheduled(rows: Rows, fact: RecordedFact) -> None:
    rows.delete(schedule, fact.data["slug"])


def _withdrawn(rows: Rows, fact: RecordedFact) -> None:
    rows.delete(guide, fact.data["slug"])


def _the_revision(fact: RecordedFact) -> tuple:
    return fact.data["slug"], fact.data["revision"]


def _listed(rows: Rows, fact: RecordedFact) -> None:
    rows.insert(programme, **_details(fact.data["details"]), activity_id=fact.data["activity_id"], status="open",
                reason="")


def _entry_changed(rows: Rows, fact: RecordedFact) -> None:
    _update_entry(rows, fact, **_details(fact.data["details"]))


def _rescheduled(rows: Rows, fact: RecordedFact) -> None:
    _update_entry(rows, fact, starts_at=datetime.fromisoformat(fact.data["starts_at"]),
                  ends_at=datetime.fromisoformat(fact.data["ends_at"]))


def _details(details: dict) -> dict:
    """The details the programme shows (registration's activities carry more: themes, area, provisions)."""
    shown = {name: value for name, value in details.items() if name in programme.c}
    return {**shown, "starts_at": datetime.fromisoformat(details["starts_at"]),
            "ends_at": datetime.fromisoformat(details["ends_at"])}


def _update_entry(rows: Rows, fact: RecordedFact, **values) -> None:
    rows.update(programme, fact.data["activity_id"], **values)


def _status(status: str):
    return lambda rows, fact: _update_entry(rows, fact, status=status, reason=fact.data.get("reason", ""))


projection = Projection("content", metadata, {
    "SectionWritten": _written,
    "SectionSubmitted": _submitted,
    "SectionPublished": _published,
    "SectionWithdrawn": _withdrawn,
    "PublicationScheduled": _scheduled,
    "PublicationUnscheduled": _unscheduled,
    "ActivityListed": _listed,
    "ProgrammeEntryChanged": _entry_changed,
    "ProgrammeEntryRescheduled": _rescheduled,
    "ProgrammeRegistrationClosed": _status("closed"),
    "ProgrammeRegistrationReopened": _status("open"),
    "ProgrammeEntryCancelled": _status("cancelled"),
}, version=6)


def guide_sections(db: Connection) -> list[dict]:
    """The live standard sections, in order (Easy Read versions are reached from theirs)."""
    query = select(guide).where(guide.c.easy_read_of.is_(None)).order_by(guide.c.position, guide.c.slug)
    return [dict(row._mapping) for row in db.execute(query)]


def guide_contents(db: Connection) -> list[dict]:
    """The live standard sections in order, each with its live `sub_sections` in order. A sub-section
    whose parent is not live at the top of the guide (withdrawn, say) stands at the top in its own
    place, so that no live section is ever out of reach."""
    sections = guide_sections(db)
    tops = {s["slug"] for s in sections if s["parent"] is None}
    contents = [{**s, "sub_sections": []} for s in sections if s["parent"] not in tops]
    by_slug = {s["slug"]: s for s in contents}
    for sub in (s for s in sections if s["parent"] in tops):
        by_slug[sub["parent"]]["sub_sections"].append(sub)
    return contents


def in_reading_order(db: Connection) -> list[dict]:
    """The live standard sections as the contents list them: each section, then its sub-sections."""
    return [s for top in guide_contents(db) for s in (top, *top["sub_sections"])]


def sub_sections(db: Connection, slug: str) -> list[dict]:
    """The live standard sections placed under this one, in order."""
    query = (select(guide).where(guide.c.parent == slug, guide.c.easy_read_of.is_(None))
             .order_by(guide.c.position, guide.c.slug))
    return [dict(row._mapping) for row in db.execute(query)]


def live_section(db: Connection, slug: str) -> dict | None:
    row = db.execute(select(guide).where(guide.c.slug == slug)).first()
    return dict(row._mapping) if row else None


def easy_read_versions(db: Connection) -> dict[str, str]:
    """The slug of each live standard section's live Easy Read version."""
    rows = db.execute(select(guide.c.easy_read_of, guide.c.slug).where(guide.c.easy_read_of.is_not(None))
                      .order_by(guide.c.slug.desc()))
    return {row.easy_read_of: row.slug for row in rows}


def easy_read_version(db: Connection, slug: str) -> dict | None:
    """The live Easy Read version of this standard section, if it has one."""
    row = db.execute(select(guide).where(guide.c.easy_read_of == slug).order_by(guide.c.slug)).first()
    return dict(row._mapping) if row else None


def programme_entries(db: Connection) -> list[dict]:
    rows = db.execute(select(programme).order_by(programme.c.starts_at, programme.c.title))
    return [{**row._mapping, "starts_at": as_utc(row.starts_at), "ends_at": as_utc(row.ends_at)} for row in rows]


def section_revisions(db: Connection, slug: str) -> list[dict]:
    """Every revision of a section, drafts included (for editors only)."""
    rows = db.execute(select(revisions).where(revisions.c.slug == slug).order_by(revisions.c.revision))
    return [_revision_out(row) for row in rows]


def published_revisions(db: Connection, slug: str) -> list[dict]:
    """The revisions of a section that were ever published, oldest first: its public history."""
    return [r for r in section_revisions(db, slug) if r["published_at"] is not None]


def find_revision(db: Connection, slug: str, revision: int) -> dict | None:
    row = db.execute(select(revisions).where(revisions.c.slug == slug, revisions.c.revision == revision)).first()
    return _revision_out(row) if row else None


def publications(db: Connection, limit: int = 50) -> list[dict]:
    """The latest published revisions of every section, newest first (the feed)."""
    rows = db.execute(select(revisions).where(revisions.c.published_at.is_not(None))
                      .order_by(revisions.c.published_at.desc(), revisions.c.slug).limit(limit))
    return [_revision_out(row) for row in rows]


def _revision_out(row) -> dict:
    found = dict(row._mapping)
    return {**found, "written_at": as_utc(found["written_at"]),
            "published_at": as_utc(found["published_at"]) if found["published_at"] else None}


def scheduled_publication(db: Connection, slug: str) -> dict | None:
    row = db.execute(select(schedule).where(schedule.c.slug == slug)).first()
    return {**row._mapping, "publish_at": as_utc(row.publish_at)} if row else None
