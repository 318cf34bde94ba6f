"""Posts and case studies as readers see them: lists filtered by tag and sector in the address, a
page each with author and date, feeds of all posts and per tag; bad filters are a 400 naming them."""
from xml.etree import ElementTree

import pytest

from shared.actors import Actor

from content.domain.commands import PublishRevision, WriteArticle

EDITOR = Actor.system("test")
ATOM = "{http://www.w3.org/2005/Atom}"


def published(service, kind, slug, title, tags, sector=None, publish=True):
    extra = {"organisation": "Fife Housing", "sector": sector} if kind == "case_study" else {}
    service.handle(WriteArticle(actor=EDITOR, kind=kind, slug=slug, title=title, summary=f"About {title}.",
                                body=f"All about *{title}*.", author="Morag Bell", tags=tags, based_on=0, **extra))
    if publish:
        service.handle(PublishRevision(actor=EDITOR, kind=kind, slug=slug, revision=1))


@pytest.fixture
def filled(service, catch_up):
    published(service, "post", "repairs", "Repairs together", ["housing", "repairs"])
    published(service, "post", "schools", "Pupils as partners", ["education"])
    published(service, "post", "draft", "Not yet", ["housing"], publish=False)
    published(service, "case_study", "tenants", "Tenants first", ["housing"], sector="housing")
    published(service, "case_study", "wards", "Wards we designed", ["housing"], sector="health-and-social-care")
    catch_up()


def text_of(client, path):
    answer = client.get(path)
    assert answer.status_code == 200, path
    return answer.get_data(as_text=True)


def test_the_lists_filter_by_tag_and_sector_in_the_address(client, filled):
    everything = text_of(client, "/posts")
    assert "Repairs together" in everything and "Pupils as partners" in everything and "Not yet" not in everything
    tagged = text_of(client, "/posts?tag=repairs")
    assert "Repairs together" in tagged and "Pupils as partners" not in tagged
    in_health = text_of(client, "/case-studies?sector=health-and-social-care&tag=housing")
    assert "Wards we designed" in in_health and "Tenants first" not in in_health
    assert "No posts match." in text_of(client, "/posts?tag=nothing-tagged")


def test_an_article_page_shows_its_author_date_organisation_and_sector(client, filled):
    page = text_of(client, "/case-studies/tenants")
    assert "By Morag Bell, published" in page and "Fife Housing" in page and "Housing</a>" in page
    assert "<em>Tenants first</em>" in page
    assert client.get("/posts/draft").status_code == 404
    assert client.get("/posts/tenants").status_code == 404  # a case study is not a post


@pytest.mark.parametrize("path, field", [
    ("/case-studies?sector=fishing", "sector"), ("/posts?tag=Not%20A%20Tag", "tag"), ("/posts?page=0", "page"),
    ("/posts?page=x", "page"), ("/posts/tags/%3Cscript%3E/feed.atom", "tag"),
])
def test_a_bad_filter_is_a_400_naming_it(client, path, field):
    answer = client.get(path)
    assert answer.status_code == 400 and field in answer.get_data(as_text=True)


def test_the_feeds_hold_all_posts_or_one_tags_posts_with_their_bodies(client, filled):
    def entries(path):
        feed = ElementTree.fromstring(client.get(path).data)
        return [(e.find(f"{ATOM}title").text, e.find(f"{ATOM}author/{ATOM}name").text)
                for e in feed.iter(f"{ATOM}entry")]
    assert sorted(entries("/posts/feed.atom")) == [("Pupils as partners", "Morag Bell"),
                                                   ("Repairs together", "Morag Bell")]
    assert entries("/posts/tags/repairs/feed.atom") == [("Repairs together", "Morag Bell")]
    assert entries("/posts/tags/nothing/feed.atom") == []
    assert sorted(entries("/case-studies/feed.atom")) == [("Tenants first", "Morag Bell"),
                                                          ("Wards we designed", "Morag Bell")]
    body = ElementTree.fromstring(client.get("/posts/tags/repairs/feed.atom").data).find(f"{ATOM}entry/{ATOM}content")
    assert body.get("type") == "html" and "<em>Repairs together</em>" in body.text


def test_a_posts_feed_is_atom_with_the_elements_rfc_4287_requires(client, filled):
    response = client.get("/posts/tags/housing/feed.atom")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed" and feed.find(f"{ATOM}link[@rel='self']").get("href").endswith(
        "/posts/tags/housing/feed.atom")
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    [entry] = feed.findall(f"{ATOM}entry")
    for required in ("id", "title", "updated", "published", "summary", "content", "author", "category"):
        assert entry.find(f"{ATOM}{required}") is not None, required
    assert entry.find(f"{ATOM}link").get("href") == "http://localhost/posts/repairs"
