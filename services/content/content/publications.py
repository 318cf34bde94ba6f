"""Which of content's facts other services hear of, and as what message: the relay's translation.
A published revision goes out with its title, what changed since the revision live before it, and
its own address, all taken from the log (never from a read table, which may lag)."""
from sqlalchemy import Connection

from shared.contracts import envelope, message_id
from shared.contracts.content import SECTION_PUBLISHED
from shared.eventstore import EventStore, RecordedFact

from content import text

PRODUCER = "content"


class Publications:
    def __init__(self, store: EventStore, public_url: str):
        self.store, self.public_url = store, public_url.rstrip("/")

    def translate(self, db: Connection, fact: RecordedFact) -> list[dict]:
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
        return [envelope(SECTION_PUBLISHED, payload, PRODUCER,
                         message_id=message_id(PRODUCER, fact.stream_id, fact.version), occurred_at=fact.recorded_at,
                         correlation_id=fact.metadata.get("correlation_id") or "",
                         causation_id=fact.metadata.get("causation_id"))]


def _live_before(earlier: list[RecordedFact]) -> int | None:
    """The revision readers saw just before (None if none was, or it was withdrawn), as the read table has it."""
    live = None
    for fact in earlier:
        if fact.type == "SectionPublished":
            live = fact.data["revision"]
        elif fact.type == "SectionWithdrawn":
            live = None
    return live
