"""What other services hear when a revision of the guide is published: the contract's message, with
what changed and the revision's own address; nothing for drafts or the programme."""
import json

from shared.actors import Actor
from shared.contracts import decode
from shared.contracts.content import CASE_STUDY_PUBLISHED, POST_PUBLISHED, POST_WITHDRAWN, SECTION_PUBLISHED

from content.domain.commands import PublishRevision, WithdrawLiveRevision, WriteArticle, WriteSection

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
    service.handle(WithdrawLiveRevision(actor=EDITOR, slug="meetings"))
    write(service, "Send the papers a week early.", 1)
    service.handle(PublishRevision(actor=EDITOR, slug="meetings", revision=2))
    assert messages(service)[-1].payload["summary"] == "First published."


def article(service, kind, based_on=0, **changes):
    case = {"organisation": "Fife Housing", "sector": "housing"} if kind == "case_study" else {}
    words = {"title": "Tenants first", "summary": "How tenants led.", "body": "They **led**.", "author": "Morag Bell",
             "tags": ["housing"], **case}
    return service.handle(WriteArticle(actor=EDITOR, kind=kind, slug="tenants-first", based_on=based_on,
                                       **{**words, **changes}))


def test_a_post_and_a_case_study_are_announced_when_published_and_when_withdrawn(service):
    article(service, "post")
    service.handle(PublishRevision(actor=EDITOR, kind="post", slug="tenants-first", revision=1))
    article(service, "post", based_on=1, title="Tenants first, again")
    service.handle(PublishRevision(actor=EDITOR, kind="post", slug="tenants-first", revision=2))
    service.handle(WithdrawLiveRevision(actor=EDITOR, kind="post", slug="tenants-first"))
    article(service, "case_study")
    service.handle(PublishRevision(actor=EDITOR, kind="case_study", slug="tenants-first", revision=1))
    announced = messages(service)
    assert [(m.type, m.payload.get("first")) for m in announced] == [
        (POST_PUBLISHED.name, True), (POST_PUBLISHED.name, False), (POST_WITHDRAWN.name, None),
        (CASE_STUDY_PUBLISHED.name, True)]
    assert announced[1].payload["title"] == "Tenants first, again"
    assert announced[0].payload["url"] == f"{service.runtime.settings.public_url}/posts/tenants-first"
    case_study = announced[3].payload
    assert (case_study["organisation"], case_study["sector"], case_study["tags"]) == ("Fife Housing", "housing",
                                                                                      ["housing"])
    assert case_study["url"].endswith("/case-studies/tenants-first")
