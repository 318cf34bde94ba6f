"""Read tables of posts and case studies: every revision (for editors), the live articles with their
tags (for readers, lists and feeds), and what is scheduled; and the images uploaded for them all.

A page of a list costs the same with 50 articles or 5,000: each list (all of a kind, one tag's, one
sector's) is read newest first along an index that holds its order, the tag rows carry their
article's date for that, and the tags offered in the filter are kept with their counts rather than
found again among every article's tags."""
import json
from datetime import datetime

from sqlalchemy import (Column, Connection, DateTime, Index, Integer, MetaData, String, Table, Text, delete, insert,
                        select, update)

from shared.eventstore import RecordedFact, as_utc
from shared.projections import Projection

from content import text

metadata = MetaData()


def _identity_columns() -> list[Column]:
    return [Column("kind", String(20), primary_key=True), Column("slug", String(100), primary_key=True)]


WORDS = ("title", "summary", "author", "organisation", "sector")

revisions = Table(
    "article_revisions_view", metadata, *_identity_columns(),
    Column("revision", Integer, primary_key=True),
    Column("title", String(200), nullable=False),
    Column("summary", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("author", String(100), nullable=False),
    Column("tags", Text, nullable=False),  # a JSON list
    Column("organisation", String(200)),
    Column("sector", String(40)),
    Column("restored_from", Integer),
    Column("written_at", DateTime(timezone=True), nullable=False),
    Column("state", String(20), nullable=False),  # draft | submitted | published (at least once)
    Column("published_at", DateTime(timezone=True)),
)
live = Table(
    "articles_view", metadata, *_identity_columns(),
    Column("revision", Integer, nullable=False),
    Column("title", String(200), nullable=False),
    Column("summary", String(300), nullable=False),
    Column("body_html", Text, nullable=False),
    Column("author", String(100), nullable=False),
    Column("organisation", String(200)),
    Column("sector", String(40)),
    Column("first_published_at", DateTime(timezone=True), nullable=False),  # the article's date
    Column("published_at", DateTime(timezone=True), nullable=False),  # when this revision went live
    Index("articles_view_newest", "kind", "first_published_at", "slug"),
    Index("articles_view_sector_newest", "kind", "sector", "first_published_at", "slug"),
)
tags = Table(
    "article_tags_view", metadata, *_identity_columns(),
    Column("tag", String(40), primary_key=True),
    Column("first_published_at", DateTime(timezone=True), nullable=False),  # its article's, for the order
    Index("article_tags_view_newest", "kind", "tag", "first_published_at", "slug"),
)
tag_counts = Table(  # the tags live articles carry, for the list's filter
    "article_tag_counts_view", metadata,
    Column("kind", String(20), primary_key=True),
    Column("tag", String(40), primary_key=True),
    Column("articles", Integer, nullable=False),
)
schedule = Table(
    "article_schedule_view", metadata, *_identity_columns(),
    Column("revision", Integer, nullable=False),
    Column("publish_at", DateTime(timezone=True), nullable=False),
)

media = Table(
    "media_view", metadata,
    Column("digest", String(64), primary_key=True),
    Column("media_type", String(20), nullable=False),
    Column("size", Integer, nullable=False),
    Column("alt", String(300), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False, index=True),
)


def _identity(table: Table, data: dict) -> tuple:
    return table.c.kind == data["kind"], table.c.slug == data["slug"]


def _the_revision(data: dict) -> tuple:
    return *_identity(revisions, data), revisions.c.revision == data["revision"]


def _written(db: Connection, fact: RecordedFact) -> None:
    db.execute(insert(revisions).values(**{**fact.data, "tags": json.dumps(fact.data["tags"])},
                                        written_at=fact.recorded_at, state="draft"))


def _submitted(db: Connection, fact: RecordedFact) -> None:
    db.execute(update(revisions).where(*_the_revision(fact.data), revisions.c.state == "draft")
               .values(state="submitted"))


def _published(db: Connection, fact: RecordedFact) -> None:
    revision = db.execute(select(revisions).where(*_the_revision(fact.data))).one()
    if revision.published_at is None:
        db.execute(update(revisions).where(*_the_revision(fact.data))
                   .values(state="published", published_at=fact.recorded_at))
    first = db.execute(select(live.c.first_published_at).where(*_identity(live, fact.data))).scalar()
    first = first or fact.recorded_at
    _take_down(db, fact)
    db.execute(insert(live).values(kind=revision.kind, slug=revision.slug, revision=revision.revision,
                                   body_html=text.render(revision.body), first_published_at=first,
                                   published_at=fact.recorded_at, **{name: getattr(revision, name) for name in WORDS}))
    for tag in json.loads(revision.tags):
        db.execute(insert(tags).values(kind=revision.kind, slug=revision.slug, tag=tag, first_published_at=first))
        _count_tag(db, revision.kind, tag, +1)


def _take_down(db: Connection, fact: RecordedFact) -> None:
    _unscheduled(db, fact)
    db.execute(delete(live).where(*_identity(live, fact.data)))
    for tag in db.execute(select(tags.c.tag).where(*_identity(tags, fact.data))).scalars().all():
        _count_tag(db, fact.data["kind"], tag, -1)
    db.execute(delete(tags).where(*_identity(tags, fact.data)))


def _count_tag(db: Connection, kind: str, tag: str, change: int) -> None:
    counted = (tag_counts.c.kind == kind, tag_counts.c.tag == tag)
    if db.execute(update(tag_counts).where(*counted).values(articles=tag_counts.c.articles + change)).rowcount == 0:
        db.execute(insert(tag_counts).values(kind=kind, tag=tag, articles=change))
    db.execute(delete(tag_counts).where(*counted, tag_counts.c.articles <= 0))


def _withdrawn(db: Connection, fact: RecordedFact) -> None:
    _take_down(db, fact)


def _scheduled(db: Connection, fact: RecordedFact) -> None:
    _unscheduled(db, fact)
    db.execute(insert(schedule).values(kind=fact.data["kind"], slug=fact.data["slug"], revision=fact.data["revision"],
                                       publish_at=datetime.fromisoformat(fact.data["at"])))


def _unscheduled(db: Connection, fact: RecordedFact) -> None:
    db.execute(delete(schedule).where(*_identity(schedule, fact.data)))


def _uploaded(db: Connection, fact: RecordedFact) -> None:
    db.execute(insert(media).values(**fact.data, uploaded_at=fact.recorded_at))


projection = Projection("articles", metadata, {
    "MediaUploaded": _uploaded,
    "ArticleWritten": _written,
    "ArticleSubmitted": _submitted,
    "ArticlePublished": _published,
    "ArticleWithdrawn": _withdrawn,
    "ArticlePublicationScheduled": _scheduled,
    "ArticlePublicationUnscheduled": _unscheduled,
}, version=3)


def article_revisions(db: Connection, kind: str, slug: str) -> list[dict]:
    """Every revision of an article, drafts included (for editors only)."""
    rows = db.execute(select(revisions).where(*_identity(revisions, {"kind": kind, "slug": slug}))
                      .order_by(revisions.c.revision))
    return [_revision_out(row) for row in rows]


def find_article_revision(db: Connection, kind: str, slug: str, revision: int) -> dict | None:
    found = {"kind": kind, "slug": slug, "revision": revision}
    row = db.execute(select(revisions).where(*_the_revision(found))).first()
    return _revision_out(row) if row else None


def _revision_out(row) -> dict:
    found = dict(row._mapping)
    return {**found, "tags": json.loads(found["tags"]), "written_at": as_utc(found["written_at"]),
            "published_at": as_utc(found["published_at"]) if found["published_at"] else None}


def scheduled_article(db: Connection, kind: str, slug: str) -> dict | None:
    row = db.execute(select(schedule).where(*_identity(schedule, {"kind": kind, "slug": slug}))).first()
    return {**row._mapping, "publish_at": as_utc(row.publish_at)} if row else None


def live_articles(db: Connection, kind: str, tag: str | None = None, sector: str | None = None,
                  limit: int = 50, offset: int = 0) -> list[dict]:
    """Live articles of one kind, newest first (and by slug, last first, among those of one
    instant); with one tag, in one sector when given. The page's slugs are found first, along the
    index that holds the list's order (read alone: skipping to a late page reads no article), then
    only the page's articles are read."""
    slugs = _page_of_slugs(db, kind, tag, sector, limit, offset)
    if not slugs:
        return []
    found = {row["slug"]: row for row in _rows(db, select(live).where(live.c.kind == kind, live.c.slug.in_(slugs)))}
    return _with_tags(db, [found[slug] for slug in slugs])


def _page_of_slugs(db: Connection, kind: str, tag: str | None, sector: str | None, limit: int,
                   offset: int) -> list[str]:
    in_sector = [live.c.sector == sector] if sector else []
    if tag:
        ordered = tags
        query = select(tags.c.slug).where(tags.c.kind == kind, tags.c.tag == tag)
        if sector:
            query = query.where(select(live.c.slug).where(live.c.kind == tags.c.kind, live.c.slug == tags.c.slug,
                                                          *in_sector).exists())
    else:
        ordered, query = live, select(live.c.slug).where(live.c.kind == kind, *in_sector)
    return list(db.execute(query.order_by(*_newest(ordered)).limit(limit).offset(offset)).scalars())


def _newest(table) -> tuple:
    return table.c.first_published_at.desc(), table.c.slug.desc()


def _rows(db: Connection, query) -> list[dict]:
    return [dict(row._mapping) for row in db.execute(query)]


def live_article(db: Connection, kind: str, slug: str) -> dict | None:
    row = db.execute(select(live).where(*_identity(live, {"kind": kind, "slug": slug}))).first()
    return _with_tags(db, [dict(row._mapping)])[0] if row else None


def _with_tags(db: Connection, articles: list[dict]) -> list[dict]:
    if not articles:
        return []
    rows = db.execute(select(tags).where(tags.c.kind.in_({a["kind"] for a in articles}),
                                         tags.c.slug.in_({a["slug"] for a in articles})).order_by(tags.c.tag))
    found: dict[tuple, list[str]] = {}
    for row in rows:
        found.setdefault((row.kind, row.slug), []).append(row.tag)
    return [{**a, "tags": found.get((a["kind"], a["slug"]), []), "published_at": as_utc(a["published_at"]),
             "first_published_at": as_utc(a["first_published_at"])} for a in articles]


def all_tags(db: Connection, kind: str) -> list[str]:
    """The tags live articles of a kind carry, in order."""
    return list(db.execute(select(tag_counts.c.tag).where(tag_counts.c.kind == kind).order_by(tag_counts.c.tag))
                .scalars())


def uploaded_media(db: Connection, limit: int = 500) -> list[dict]:
    """The newest images first."""
    rows = db.execute(select(media).order_by(media.c.uploaded_at.desc(), media.c.digest).limit(limit))
    return [{**row._mapping, "uploaded_at": as_utc(row.uploaded_at)} for row in rows]
