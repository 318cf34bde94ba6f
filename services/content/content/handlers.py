"""Content's command and message handlers: each loads its aggregate, lets it decide and saves what
it recorded, through Repository.execute."""
from sqlalchemy import Connection

from shared.actors import Actor
from shared.commands import Registry
from shared.contracts import Envelope
from shared.contracts.registration import ACTIVITY_OPENED, ActivityDetails
from shared.runtime import Runtime

from content.domain.commands import WriteSection
from content.domain.guide import GuideSection, section_stream
from content.domain.programme import ProgrammeEntry, entry_stream


class Handlers:
    def __init__(self, runtime: Runtime):
        self.sections = runtime.repository(GuideSection)
        self.entries = runtime.repository(ProgrammeEntry)

    def write_section(self, command: WriteSection) -> None:
        def decide(section: GuideSection, _db) -> None:
            section.write(command.slug, command.title, command.body, command.position)
            if command.publish:
                section.publish(command.slug)
        self.sections.execute(section_stream(command.slug), decide, command.actor)

    def list_in_programme(self, db: Connection, message: Envelope) -> None:
        """registration.activity.opened -> the activity appears in the week's programme."""
        activity_id = str(message.payload["activity_id"])
        details = ActivityDetails.from_payload(message.payload)
        self.entries.execute(entry_stream(activity_id), lambda entry, _db: entry.list(activity_id, details),
                             Actor.service(message.producer), causation_id=message.id, db=db)

    def registry(self) -> Registry:
        return Registry(commands={WriteSection: self.write_section},
                        messages={ACTIVITY_OPENED: self.list_in_programme})
