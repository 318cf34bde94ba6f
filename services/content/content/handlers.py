"""Command handlers and message handlers of content."""
from sqlalchemy import Connection

from shared.aggregate import Repository, with_retries
from shared.contracts import Envelope
from shared.runtime import Runtime
from shared.timefmt import iso_utc

from content.domain.guide import GuideSection, section_stream
from content.domain.programme import ProgrammeEntry, entry_stream

PROGRAMME_FIELDS = ("title", "summary", "organiser", "starts_at", "ends_at", "attendance", "venue", "region")


class Handlers:
    def __init__(self, runtime: Runtime):
        self.runtime = runtime
        self.sections = Repository(runtime.store, GuideSection)
        self.entries = Repository(runtime.store, ProgrammeEntry)

    def write_section(self, slug: str, title: str, body: str, position: int, publish: bool, actor: str) -> None:
        def work(db):
            section = self.sections.get(db, section_stream(slug))
            section.write(slug, title, body, position)
            if publish:
                section.publish(slug)
            self.sections.save(db, section, actor=actor)
        with_retries(self.runtime.engine, self.runtime.store, work)

    def list_in_programme(self, db: Connection, message: Envelope) -> None:
        """registration.activity.opened -> the activity appears in the week's programme."""
        payload = message.payload
        details = {key: payload.get(key) or "" for key in PROGRAMME_FIELDS}
        details.update(activity_id=str(payload["activity_id"]), starts_at=iso_utc(payload["starts_at"]),
                       ends_at=iso_utc(payload["ends_at"]))
        entry = self.entries.get(db, entry_stream(details["activity_id"]))
        entry.list(details)
        self.entries.save(db, entry, causation_id=message.id, actor="registration")

    def message_handlers(self) -> dict:
        return {"registration.activity.opened": self.list_in_programme}
