"""Search across the guide's live sections, posts and case studies, through one interface over the
database's own full-text search: SQLite FTS5 in the embedded mode (an external-content index kept
by triggers on the documents table), PostgreSQL's text search otherwise (a stored tsvector with a
GIN index, queried with websearch_to_tsquery). The documents table is a projection, rebuilt from the
log like any other; matches come back bracketed by content.text.MARKS, for the page to escape."""
import re

from sqlalchemy import (DDL, Column, Connection, DateTime, Integer, MetaData, String, Table, Text, UniqueConstraint,
                        delete, event, insert, select)
from sqlalchemy import text as sql

from shared.batch_rows import Rows
from shared.eventstore import RecordedFact, as_utc
from shared.projections import Projection

from content.text import MARKS, plain

metadata = MetaData()
MAX_WORDS = 20
TYPED = {"kind": String, "slug": String, "published_at": DateTime(timezone=True), "title": Text, "excerpt": Text}
words = Table(  # every revision's words, so that publishing one can index it without another projection
    "search_words_view", metadata,
    Column("kind", String(20), primary_key=True),
    Column("slug", String(100), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),
)
documents = Table(
    "search_documents_view", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(20), nullable=False),  # section | post | case_study
    Column("slug", String(100), nullable=False),
    Column("title", String(200), nullable=False),
    Column("body", Text, nullable=False),  # plain text
    Column("published_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("kind", "slug"),
)
SQLITE_INDEX = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(title, body, content='search_documents_view', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS search_fts_added AFTER INSERT ON search_documents_view BEGIN "
    "INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS search_fts_removed AFTER DELETE ON search_documents_view BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.id, old.title, old.body); END",
]
POSTGRES_INDEX = [
    "ALTER TABLE search_documents_view ADD COLUMN document tsvector GENERATED ALWAYS AS "
    "(setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')) STORED",
    "CREATE INDEX search_documents_view_document ON search_documents_view USING gin (document)",
]
for statement in SQLITE_INDEX:
    event.listen(documents, "after_create", DDL(statement).execute_if(dialect="sqlite"))
for statement in POSTGRES_INDEX:
    event.listen(documents, "after_create", DDL(statement).execute_if(dialect="postgresql"))
event.listen(documents, "before_drop", DDL("DROP TABLE IF EXISTS search_fts").execute_if(dialect="sqlite"))


def _kind(fact: RecordedFact) -> str:
    return fact.data.get("kind", "section")


def _written(rows: Rows, fact: RecordedFact) -> None:
    rows.insert(words, kind=_kind(fact), slug=fact.data["slug"], revision=fact.data["revision"],
                title=fact.data["title"], body=plain(fact.data["body"]))


def _published(rows: Rows, fact: RecordedFact) -> None:
    """The documents' key is the database's (the full-text index needs it): they are written at once."""
    kind, slug = _kind(fact), fact.data["slug"]
    found = rows.one(words, kind, slug, fact.data["revision"])
    _withdrawn(rows, fact)
    rows.db.execute(insert(documents).values(kind=kind, slug=slug, title=found["title"], body=found["body"],
                                             published_at=fact.recorded_at))


def _withdrawn(rows: Rows, fact: RecordedFact) -> None:
    rows.db.execute(delete(documents).where(documents.c.kind == _kind(fact), documents.c.slug == fact.data["slug"]))


projection = Projection("search", metadata, {
    "SectionWritten": _written, "ArticleWritten": _written,
    "SectionPublished": _published, "ArticlePublished": _published,
    "SectionWithdrawn": _withdrawn, "ArticleWithdrawn": _withdrawn,
}, version=1)


def query_words(query: str) -> list[str]:
    """The words searched for, whatever punctuation or operators were typed around them."""
    return re.findall(r"\w+", query)[:MAX_WORDS]


def search(db: Connection, query: str, limit: int = 50, offset: int = 0) -> list[dict]:
    """Live documents holding every word of the query, best first: kind, slug, published_at, and
    the title and an excerpt with the matching words bracketed by MARKS."""
    found = query_words(query)
    if not found:
        return []
    run = _postgres if db.dialect.name == "postgresql" else _sqlite
    return [{**row._mapping, "published_at": as_utc(row.published_at)} for row in run(db, found, limit, offset)]


def _sqlite(db: Connection, found: list[str], limit: int, offset: int):
    match = " ".join('"' + word + '"' for word in found)
    return db.execute(sql(
        "SELECT d.kind, d.slug, d.published_at, highlight(search_fts, 0, :open, :close) AS title, "
        "snippet(search_fts, 1, :open, :close, '…', 30) AS excerpt "
        "FROM search_fts JOIN search_documents_view d ON d.id = search_fts.rowid "
        "WHERE search_fts MATCH :match ORDER BY bm25(search_fts, 5.0, 1.0), d.published_at DESC, d.id "
        "LIMIT :limit OFFSET :offset").columns(**TYPED),
        {"open": MARKS[0], "close": MARKS[1], "match": match, "limit": limit, "offset": offset})


def _postgres(db: Connection, found: list[str], limit: int, offset: int):
    options = f"StartSel={MARKS[0]}, StopSel={MARKS[1]}"
    return db.execute(sql(
        "SELECT kind, slug, published_at, ts_headline('english', title, q, :whole) AS title, "
        "ts_headline('english', body, q, :excerpt) AS excerpt "
        "FROM search_documents_view, websearch_to_tsquery('english', :query) AS q "
        "WHERE document @@ q ORDER BY ts_rank(document, q) DESC, published_at DESC, id LIMIT :limit OFFSET :offset"
        ).columns(**TYPED),
        {"whole": f"{options}, HighlightAll=true", "excerpt": f"{options}, MaxWords=35, MinWords=15",
         "query": " ".join(found), "limit": limit, "offset": offset})
