"""Which of content's facts other services hear of, and as what message: the relay's translation.
A published revision of the guide goes out with its title, what changed since the revision live
before it, and its own address; a post or a case study published with its words and address, or
withdrawn; all taken from the log (never from a read table, which may lag)."""
from sqlalchemy import Connection

from shared.contracts import MessageType, envelope, message_id
from shared.contracts.content import (CASE_STUDY_PUBLISHED, CASE_STUDY_WITHDRAWN, POST_PUBLISHED, POST_WITHDRAWN,
                                     SECTION_PUBLISHED)
from shared.eventstore import EventStore, RecordedFact

from content import text
from content.domain.articles import CASE_STUDY, POST

PRODUCER = "content"
ARTICLE_PUBLISHED = {POST: POST_PUBLISHED, CASE_STUDY: CASE_STUDY_PUBLISHED}
ARTICLE_WITHDRAWN = {POST: POST_WITHDRAWN, CASE_STUDY: CASE_STUDY_WITHDRAWN}


class Publications:
    def __init__(self, store: EventStore, public_url: str):
        self.store, self.public_url = store, public_url.rstrip("/")

    def translate(self, db: Connection, fact: RecordedFact) -> list[dict]:
        if fact.type == "ArticlePublished":
            return [self._message(fact, ARTICLE_PUBLISHED[fact.data["kind"]], self._article(db, fact))]
        if fact.type == "ArticleWithdrawn":
            return [self._message(fact, ARTICLE_WITHDRAWN[fact.data["kind"]],
                                  {"slug": fact.data["slug"], "revision": fact.data["revision"]})]
        if fact.type != "SectionPublished":
            return []
        slug, revision = fact.data["slug"], fact.data["revision"]
        earlier = self.store.read_stream(db, fact.stream_id, fact.version - 1)
        bodies = {f.data["revision"]: f.data for f in earlier if f.type == "SectionWritten"}
        live = _live_before(earlier)
        before = bodies[live]["body"] if live else ""
        payload = {"slug": slug, "revision": revision, "title": bodies[revision]["title"],
                   "summary": text.change_summary(before, bodies[revision]["body"]),
                   "url": f"{self.public_url}/guide/{slug}/revisions/{revision}"}
        return [self._message(fact, SECTION_PUBLISHED, payload)]

    def _article(self, db: Connection, fact: RecordedFact) -> dict:
        kind, slug, revision = fact.data["kind"], fact.data["slug"], fact.data["revision"]
        earlier = self.store.read_stream(db, fact.stream_id, fact.version - 1)
        words = next(f.data for f in earlier if f.type == "ArticleWritten" and f.data["revision"] == revision)
        payload = {name: words[name] for name in ("title", "summary", "author", "tags")}
        if kind == CASE_STUDY:
            payload.update(organisation=words["organisation"], sector=words["sector"])
        path = "posts" if kind == POST else "case-studies"
        return {**payload, "slug": slug, "revision": revision, "first": _live_before(earlier) is None,
                "url": f"{self.public_url}/{path}/{slug}"}

    @staticmethod
    def _message(fact: RecordedFact, kind: MessageType, payload: dict) -> dict:
        return envelope(kind, payload, PRODUCER, message_id=message_id(PRODUCER, fact.stream_id, fact.version),
                        occurred_at=fact.recorded_at, correlation_id=fact.metadata.get("correlation_id") or "",
                        causation_id=fact.metadata.get("causation_id"))


def _live_before(earlier: list[RecordedFact]) -> int | None:
    """The revision readers saw just before (None if none was, or it was withdrawn), as the read table has it."""
    live = None
    for fact in earlier:
        if fact.type in ("SectionPublished", "ArticlePublished"):
            live = fact.data["revision"]
        elif fact.type in ("SectionWithdrawn", "ArticleWithdrawn"):
            live = None
    return live
