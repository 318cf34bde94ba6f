"""What other services hear when a revision of the guide is published: the contract's message, with
what changed and the revision's own address; nothing for drafts or the programme."""
import json

from shared.actors import Actor
from shared.contracts import decode
from shared.contracts.content import SECTION_PUBLISHED

from content.domain.commands import PublishRevision, WithdrawSection, WriteSection

EDITOR = Actor.system("test")


def messages(service) -> list:
    runtime = service.runtime
    with runtime.engine.connect() as db:
        facts = runtime.store.read_after(db, 0)
        return [decode(json.dumps(m)) for f in facts for m in service.parts.translate(db, f)]


def write(service, body, based_on):
    return service.handle(WriteSection(actor=EDITOR, slug="meetings", title="Meetings", body=body, position=1,
                                       based_on=based_on))


def test_each_publication_is_announced_with_what_changed_and_its_address(service):
    write(service, "Send the papers early.", 0)
    service.handle(PublishRevision(actor=EDITOR, slug="meetings", revision=1))
    write(service, "Send the papers a week early.", 1)
    write(service, "A draft nobody hears of.", 2)
    service.handle(PublishRevision(actor=EDITOR, slug="meetings", revision=2))
    announced = messages(service)
    assert [m.type for m in announced] == [SECTION_PUBLISHED.name] * 2
    assert [(m.payload["revision"], m.payload["summary"]) for m in announced] == [
        (1, "First published."), (2, "2 words added, 0 removed.")]
    assert announced[1].payload["url"] == f"{service.runtime.settings.public_url}/guide/meetings/revisions/2"


def test_after_a_withdrawal_the_next_publication_is_new_to_readers(service):
    write(service, "Send the papers early.", 0)
    service.handle(PublishRevision(actor=EDITOR, slug="meetings", revision=1))
    service.handle(WithdrawSection(actor=EDITOR, slug="meetings"))
    write(service, "Send the papers a week early.", 1)
    service.handle(PublishRevision(actor=EDITOR, slug="meetings", revision=2))
    assert messages(service)[-1].payload["summary"] == "First published."
