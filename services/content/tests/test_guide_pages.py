"""The guide's published revisions as readers find them: each at its own address, with its history
and what changed, rebuilt from the log exactly as before."""
from shared.actors import Actor
from shared.settings import DEVELOPMENT_SECRET

from content.domain.commands import PublishRevision, WithdrawLiveRevision, WriteSection
from content.projections import projection, published_revisions

EDITOR = Actor.system("test")
ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}


def publish(service, body, based_on, slug="meetings", title="Meetings"):
    revision = service.handle(WriteSection(actor=EDITOR, slug=slug, title=title, body=body, position=1,
                                           based_on=based_on))
    service.handle(PublishRevision(actor=EDITOR, slug=slug, revision=revision))
    return revision


def test_each_published_revision_keeps_its_address_after_later_ones(client, service, catch_up):
    publish(service, "Send the papers early.", 0)
    publish(service, "Send the papers a week early, in plain language.", 1)
    service.handle(WriteSection(actor=EDITOR, slug="meetings", title="Meetings", body="Draft only", position=1))
    catch_up()
    first = client.get("/guide/meetings/revisions/1")
    assert first.status_code == 200 and "Send the papers early." in first.get_data(as_text=True)
    live = client.get("/guide/meetings").get_data(as_text=True)
    assert "a week early" in live and "revision 2" in live and "/guide/meetings/history" in live
    assert client.get("/guide/meetings/revisions/3").status_code == 404  # a draft
    history = client.get("/guide/meetings/history").get_data(as_text=True)
    assert "Revision 2: Meetings" in history and "Revision 3" not in history
    assert "6 words added, 1 removed." in history


def test_what_changed_shows_words_added_and_removed_as_text(client, service, catch_up):
    publish(service, "Send the papers early.", 0)
    publish(service, "Send the papers a week early.", 1)
    catch_up()
    page = client.get("/guide/meetings/changes?from=1&to=2").get_data(as_text=True)
    assert ('<ins><span class="visually-hidden">[added: </span>a week<span class="visually-hidden">]</span></ins>'
            in page)
    assert "@@" not in page and "+++" not in page
    assert client.get("/guide/meetings/changes?from=1&to=9").status_code == 404
    assert client.get("/guide/meetings/changes?from=x").status_code == 404


def test_links_to_scripts_and_data_do_not_survive(client, service, catch_up):
    publish(service, "[a](javascript:alert(1)) [b](data:image/png;base64,AA) ![c](data:image/png;base64,AA) "
                     "[d](https://example.org/) [e](/guide)", 0)
    catch_up()
    page = client.get("/guide/meetings").get_data(as_text=True)
    assert "javascript:" not in page.replace("[a](javascript:", "") and 'href="data:' not in page
    assert 'src="data:' not in page
    assert 'href="https://example.org/"' in page and 'href="/guide"' in page


def test_the_history_of_a_section_survives_a_rebuild_byte_for_byte(client, service, catch_up):
    publish(service, "Send the papers early.", 0)
    publish(service, "Send the papers a week early.", 1)
    service.handle(PublishRevision(actor=EDITOR, slug="meetings", revision=1))  # back to the first words
    service.handle(WithdrawLiveRevision(actor=EDITOR, slug="meetings"))
    service.handle(PublishRevision(actor=EDITOR, slug="meetings", revision=2))
    catch_up()
    pages = ("/guide/meetings/history", "/guide/meetings/revisions/1", "/guide/meetings/revisions/2",
             "/guide/meetings/changes?from=1&to=2", "/guide/meetings", "/guide/feed.atom")

    def read() -> list[bytes]:  # the pages, and the API's list with its full timestamps
        return [client.get(path, headers=ADMIN).data for path in (*pages, "/api/guide/sections")]
    before = read()
    with service.runtime.engine.connect() as db:  # each keeps what it said when first published
        assert [r["change_summary"] for r in published_revisions(db, "meetings")] == [
            "First published.", "2 words added, 0 removed."]
    service.runtime.projector(service.parts).rebuild(projection.name)
    catch_up()
    assert read() == before
