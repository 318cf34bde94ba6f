"""Sub-sections of the guide: written through the API with a `parent`, checked against the guide's
outline (one level deep, standard sections only), nested in the contents and linked both ways."""
import re

import pytest

from shared.settings import DEVELOPMENT_SECRET

from content.projections import projection

ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}


def write(client, slug, position=1, based_on=0, **extra):
    return client.post(f"/api/guide/sections/{slug}/revisions", headers=ADMIN, json={
        "title": slug.replace("-", " ").capitalize(), "body": f"About {slug}.", "position": position,
        "based_on": based_on, **extra})


def published(client, slug, position=1, **extra):
    written = write(client, slug, position, **extra)
    assert written.status_code == 201, written.json
    assert client.post(f"/api/guide/sections/{slug}/revisions/1/publish", headers=ADMIN).status_code == 204


@pytest.fixture
def guide(client, catch_up):
    """Two sections, the first with two sub-sections written out of order."""
    published(client, "organisations", 1)
    published(client, "meetings", 2)
    published(client, "leadership", 2, parent="organisations")
    published(client, "embedding", 1, parent="organisations")
    catch_up()


def test_the_contents_nest_each_sections_sub_sections_in_order(client, guide):
    page = client.get("/guide").get_data(as_text=True)
    contents = re.sub(r"\s+", " ", page.split('aria-label="Contents"')[1].split("</nav>")[0])
    assert ('<li><a href="#organisations">Organisations</a> <ol> <li><a href="#embedding">Embedding</a></li>'
            '<li><a href="#leadership">Leadership</a></li> </ol></li> <li><a href="#meetings">Meetings</a></li>'
            in contents)
    assert '<h3 id="embedding-title">Embedding</h3>' in page
    start = client.get("/").get_data(as_text=True)
    assert start.index('href="/guide/organisations"') < start.index('href="/guide/embedding"') \
        < start.index('href="/guide/leadership"') < start.index('href="/guide/meetings"')


def test_a_sub_section_links_to_its_parent_and_the_parent_lists_its_sub_sections(client, guide):
    sub = client.get("/guide/embedding").get_data(as_text=True)
    breadcrumb = sub.split('aria-label="Breadcrumb"')[1].split("</nav>")[0]
    assert 'href="/guide/organisations">Organisations</a>' in breadcrumb and 'aria-current="page"' in breadcrumb
    parent = client.get("/guide/organisations").get_data(as_text=True)
    listed = parent.split('id="sub-sections-title"')[1].split("</nav>")[0]
    assert listed.index('href="/guide/embedding"') < listed.index('href="/guide/leadership"')
    assert "In this section" not in client.get("/guide/meetings").get_data(as_text=True)


def test_a_withdrawn_parent_leaves_its_sub_sections_at_the_top_of_the_contents(client, guide, catch_up):
    assert client.post("/api/guide/sections/organisations/withdraw", headers=ADMIN).status_code == 204
    catch_up()
    page = client.get("/guide").get_data(as_text=True)
    assert 'href="#embedding"' in page and 'href="#organisations"' not in page
    assert 'href="/guide/organisations"' not in client.get("/guide/embedding").get_data(as_text=True)


@pytest.mark.parametrize("slug, parent, why", [
    ("organisations", "organisations", "its own sub-section"),
    ("new", "nowhere", "no such section"),
    ("new", "embedding", "itself a sub-section"),
    ("new", "organisations-easy-read", "Easy Read version cannot have sub-sections"),
    ("organisations", "meetings", "has sub-sections of its own"),
    ("new-easy-read", "organisations", "Easy Read version cannot be a sub-section"),
])
def test_a_parent_that_breaks_the_outline_is_a_409_naming_parent(client, guide, slug, parent, why):
    published(client, "organisations-easy-read", easy_read_of="organisations")
    easy_read = {"easy_read_of": "meetings"} if slug.endswith("easy-read") else {}
    refused = write(client, slug, based_on=1 if slug == "organisations" else 0, parent=parent, **easy_read)
    assert refused.status_code == 409, refused.json
    assert refused.json["message"].startswith("parent: ") and why in refused.json["message"]


def test_a_loop_is_refused_naming_parent(client, catch_up):
    published(client, "a")
    published(client, "b", parent="a")
    refused = write(client, "a", based_on=1, parent="b")
    assert refused.status_code == 409 and refused.json["message"].startswith("parent: ")


def test_a_section_with_sub_sections_cannot_become_an_easy_read_version(client, guide):
    refused = write(client, "organisations", based_on=1, easy_read_of="meetings")
    assert refused.status_code == 409 and refused.json["message"].startswith("easy_read_of: ")


def test_a_parent_that_is_not_a_slug_is_a_422_naming_parent(client):
    refused = write(client, "new", parent="Not A Slug")
    assert refused.status_code == 422 and refused.json["errors"]["json"]["parent"] == [
        "String does not match expected pattern."]


def test_a_sub_section_may_be_moved_back_to_the_top(client, guide, catch_up):
    assert write(client, "embedding", based_on=1, parent=None).status_code == 201
    assert client.post("/api/guide/sections/embedding/revisions/2/publish", headers=ADMIN).status_code == 204
    catch_up()
    assert client.get("/api/guide/sections/embedding/revisions", headers=ADMIN).json[-1]["parent"] is None
    assert '<h2 id="embedding-title">' in client.get("/guide").get_data(as_text=True)


def test_a_rebuild_gives_the_same_pages(client, service, guide, catch_up):
    paths = ("/", "/guide", "/guide/organisations", "/guide/embedding", "/api/guide/sections",
             "/api/guide/sections/embedding/revisions")

    def read() -> list[bytes]:
        return [client.get(path, headers=ADMIN).data for path in paths]
    before = read()
    service.runtime.projector(service.parts).rebuild(projection.name)
    catch_up()
    assert read() == before


def test_restoring_a_revision_whose_parent_has_since_become_a_sub_section_is_refused(client):
    published(client, "a")
    published(client, "c")
    published(client, "b", parent="a")
    assert write(client, "b", based_on=1).status_code == 201  # b moved back to the top
    assert write(client, "a", based_on=1, parent="c").status_code == 201  # then a placed under c
    refused = client.post("/api/guide/sections/b/revisions/1/restore", json={"based_on": 2}, headers=ADMIN)
    assert refused.status_code == 409 and refused.json["message"].startswith("parent: ")
    assert client.post("/api/guide/sections/a/revisions/1/restore", json={"based_on": 2},
                       headers=ADMIN).status_code == 201
