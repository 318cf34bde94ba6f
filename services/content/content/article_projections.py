"""Read tables of posts and case studies: every revision (for editors), the live articles with their
tags (for readers, lists and feeds), and what is scheduled; and the images uploaded for them all.

A page of a list costs the same with 50 articles or 5,000: each list (all of a kind, one tag's, one
sector's) is read newest first along an index that holds its order, the tag rows carry their
article's date for that, and the tags offered in the filter are kept with their counts rather than
found again among every article's tags."""
import json
from datetime import datetime

from sqlalchemy import Column, Connection, DateTime, Index, Integer, MetaData, String, Table, Text, select

from shared.batch_rows import Rows
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


def _key(fact: RecordedFact) -> tuple:
    return fact.data["kind"], fact.data["slug"]


def _written(rows: Rows, fact: RecordedFact) -> None:
    rows.insert(revisions, **{**fact.data, "tags": json.dumps(fact.data["tags"])}, written_at=fact.recorded_at,
                state="draft")


def _submitted(rows: Rows, fact: RecordedFact) -> None:
    revision = rows.get(revisions, *_key(fact), fact.data["revision"])
    if revision and revision["state"] == "draft":
        rows.update(revisions, *_key(fact), fact.data["revision"], state="submitted")


def _published(rows: Rows, fact: RecordedFact) -> None:
    revision = rows.one(revisions, *_key(fact), fact.data["revision"])
    if revision["published_at"] is None:
        rows.update(revisions, *_key(fact), fact.data["revision"], state="published", published_at=fact.recorded_at)
    shown = rows.get(live, *_key(fact))
    first = shown["first_published_at"] if shown else fact.recorded_at
    _take_down(rows, fact)
    rows.insert(live, kind=revision["kind"], slug=revision["slug"], revision=revision["revision"],
                body_html=text.render(revision["body"]), first_published_at=first, published_at=fact.recorded_at,
                **{name: revision[name] for name in WORDS})
    for tag in json.loads(revision["tags"]):
        rows.insert(tags, kind=revision["kind"], slug=revision["slug"], tag=tag, first_published_at=first)
        _count_tag(rows, revision["kind"], tag, +1)


def _take_down(rows: Rows, fact: RecordedFact) -> None:
    """Off the live list, with its tags: those its live revision carries, as they were put there."""
    _unscheduled(rows, fact)
    if shown := rows.get(live, *_key(fact)):
        for tag in json.loads(rows.one(revisions, *_key(fact), shown["revision"])["tags"]):
            rows.delete(tags, *_key(fact), tag)
            _count_tag(rows, fact.data["kind"], tag, -1)
    rows.delete(live, *_key(fact))


def _count_tag(rows: Rows, kind: str, tag: str, change: int) -> None:
    articles = (rows.get(tag_counts, kind, tag) or {"articles": 0})["articles"] + change
    rows.delete(tag_counts, kind, tag)
    if articles > 0:
        rows.insert(tag_counts, kind=kind, tag=tag, articles=articles)


def _withdrawn(rows: Rows, fact: RecordedFact) -> None:
    _take_down(rows, fact)


def _scheduled(rows: Rows, fact: RecordedFact) -> None:
    _unscheduled(rows, fact)
    rows.insert(schedule, kind=fact.data["kind"], slug=fact.data["slug"], revision=fact.data["revision"],
                publish_at=datetime.fromisoformat(fact.data["at"]))


def _unscheduled(rows: Rows, fact: RecordedFact) -> None:
    rows.delete(schedule, *_key(fact))


def _uploaded(rows: Rows, fact: RecordedFact) -> None:
    rows.insert(media, **fact.data, uploaded_at=fact.recorded_at)


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
