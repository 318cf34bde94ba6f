"""Posts and case studies as readers see them: lists filtered by tag and sector in the address, 20
to a page with links to the newer and older pages, a page each with author and date, feeds of all
and per tag of each kind, linked from their list; bad filters are a 400 naming them."""
import re
from xml.etree import ElementTree

import pytest

from shared.actors import Actor

from content.domain.commands import PublishRevision, WithdrawLiveRevision, WriteArticle
from tests.support.paging import pages_linked

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
    published(service, "case_study", "tenants", "Tenants first", ["housing", "tenants"], sector="housing")
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
    assert entries("/case-studies/tags/tenants/feed.atom") == [("Tenants first", "Morag Bell")]
    assert entries("/case-studies/tags/repairs/feed.atom") == []  # a post's tag: no case study carries it
    body = ElementTree.fromstring(client.get("/posts/tags/repairs/feed.atom").data).find(f"{ATOM}entry/{ATOM}content")
    assert body.get("type") == "html" and "<em>Repairs together</em>" in body.text


@pytest.mark.parametrize("path, page", [("/posts/tags/repairs/feed.atom", "/posts/repairs"),
                                        ("/case-studies/tags/tenants/feed.atom", "/case-studies/tenants")])
def test_a_tags_feed_is_atom_with_the_elements_rfc_4287_requires(client, filled, path, page):
    response = client.get(path)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    feed = ElementTree.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed" and feed.find(f"{ATOM}link[@rel='self']").get("href").endswith(path)
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    [entry] = feed.findall(f"{ATOM}entry")
    for required in ("id", "title", "updated", "published", "summary", "content", "author", "category"):
        assert entry.find(f"{ATOM}{required}") is not None, required
    assert entry.find(f"{ATOM}link").get("href") == f"http://localhost{page}"


@pytest.mark.parametrize("path, feed", [("/posts", "/posts/feed.atom"),
                                        ("/posts?tag=repairs", "/posts/tags/repairs/feed.atom"),
                                        ("/case-studies", "/case-studies/feed.atom"),
                                        ("/case-studies?sector=housing", "/case-studies/feed.atom"),
                                        ("/case-studies?tag=tenants", "/case-studies/tags/tenants/feed.atom"),
                                        ("/guide", "/guide/feed.atom")])
def test_each_list_links_its_feed_in_the_head_and_on_the_page(client, filled, path, feed):
    page = text_of(client, path)
    [alternate] = re.findall(r'<link rel="alternate" type="application/atom\+xml" title="[^"]+" href="([^"]+)">', page)
    assert alternate == feed and f'<a href="{feed}">' in page
    assert client.get(feed).status_code == 200


def test_the_tag_filter_offers_the_tags_of_live_articles_only(client, filled, service, catch_up):
    def offered(path):
        return re.findall(r'<option value="([a-z0-9-]+)"', text_of(client, path))
    assert offered("/posts") == ["education", "housing", "repairs"]  # not the draft's alone, nor case studies'
    service.handle(WithdrawLiveRevision(actor=EDITOR, kind="post", slug="schools"))
    service.handle(WriteArticle(actor=EDITOR, kind="post", slug="repairs", title="Repairs together",
                                summary="S.", body="B.", author="Morag Bell", tags=["repairs", "tenants"], based_on=1))
    service.handle(PublishRevision(actor=EDITOR, kind="post", slug="repairs", revision=2))
    catch_up()
    assert offered("/posts") == ["repairs", "tenants"]
    assert offered("/case-studies").count("tenants") == 1


@pytest.fixture
def many(service, catch_up):
    """45 posts, post-44 the newest; the even ones tagged "even"."""
    for n in range(45):
        published(service, "post", f"post-{n}", f"Post number {n}", ["even"] if n % 2 == 0 else ["odd"])
    catch_up()


def shown(page: str) -> list[int]:
    return [int(n) for n in re.findall(r">Post number (\d+)</a>", page)]


def test_a_list_comes_twenty_to_a_page_newest_first_with_links_to_the_next_and_previous(client, many):
    first = text_of(client, "/posts")
    assert shown(first) == list(range(44, 24, -1)) and pages_linked(first) == {"next": ("/posts", {"page": "2"})}
    middle = text_of(client, "/posts?page=2")
    assert shown(middle) == list(range(24, 4, -1))
    assert pages_linked(middle) == {"prev": ("/posts", {}), "next": ("/posts", {"page": "3"})}
    assert "<title>Posts, page 2 –" in middle and "Page 2" in middle
    last = text_of(client, "/posts?page=3")
    assert shown(last) == [4, 3, 2, 1, 0] and pages_linked(last) == {"prev": ("/posts", {"page": "2"})}


def test_the_pages_of_a_filtered_list_keep_its_filter(client, many):
    first = text_of(client, "/posts?tag=even")
    assert shown(first) == list(range(44, 4, -2)) and pages_linked(first) == {
        "next": ("/posts", {"tag": "even", "page": "2"})}
    last = text_of(client, "/posts?tag=even&page=2")
    assert shown(last) == [4, 2, 0] and pages_linked(last) == {
        "prev": ("/posts", {"tag": "even"})}


def test_a_page_past_the_end_is_a_404_and_an_empty_first_page_says_nothing_matches(client, many):
    past = client.get("/posts?page=4")
    assert past.status_code == 404 and "There is no page 4 of posts" in past.get_data(as_text=True)
    assert client.get("/posts?tag=even&page=3").status_code == 404
    assert client.get("/case-studies?page=2").status_code == 404
    assert "No case studies match." in text_of(client, "/case-studies")
    assert "rel=\"next\"" not in text_of(client, "/case-studies")
