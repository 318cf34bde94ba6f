"""The Atom feed of guide updates: well-formed Atom with the elements RFC 4287 requires, one entry
per published revision (drafts never), each saying what changed and linking to its own address."""
from xml.etree import ElementTree

from shared.actors import Actor

from content.domain.commands import PublishRevision, WriteSection

ATOM = "{http://www.w3.org/2005/Atom}"
EDITOR = Actor.system("test")


def publish(service, body, based_on):
    revision = service.handle(WriteSection(actor=EDITOR, slug="meetings", title="Meetings", body=body, position=1,
                                           based_on=based_on))
    service.handle(PublishRevision(actor=EDITOR, slug="meetings", revision=revision))


def test_the_feed_is_atom_with_one_entry_per_published_revision(client, service, catch_up):
    publish(service, "Send the papers early.", 0)
    publish(service, "Send the papers a week early.", 1)
    service.handle(WriteSection(actor=EDITOR, slug="meetings", title="Secret draft", body="x", position=1))
    catch_up()
    response = client.get("/guide/feed.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}title").text for e in entries] == ["Meetings (revision 2)", "Meetings (revision 1)"]
    for entry in entries:
        for required in ("id", "title", "updated", "summary"):
            assert entry.find(f"{ATOM}{required}") is not None, required
    newest = entries[0]
    assert newest.find(f"{ATOM}summary").text == "2 words added, 0 removed."
    assert newest.find(f"{ATOM}link").get("href") == "http://localhost/guide/meetings/revisions/2"
    assert b"Secret draft" not in response.data


def test_an_empty_guide_still_gives_a_valid_feed(client):
    feed = ElementTree.fromstring(client.get("/guide/feed.atom").data)
    assert feed.find(f"{ATOM}updated") is not None and feed.findall(f"{ATOM}entry") == []
