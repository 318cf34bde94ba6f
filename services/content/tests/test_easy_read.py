"""A section's Easy Read version: written as a section naming the standard one, linked both ways
from their pages, left out of the contents (reached from its standard section)."""
from shared.settings import DEVELOPMENT_SECRET

ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}


def published(client, slug, title, body, **extra):
    written = client.post(f"/api/guide/sections/{slug}/revisions", headers=ADMIN,
                          json={"title": title, "body": body, "position": 1, "based_on": 0, **extra})
    assert written.status_code == 201, written.json
    assert client.post(f"/api/guide/sections/{slug}/revisions/1/publish", headers=ADMIN).status_code == 204


def test_the_standard_and_easy_read_versions_link_to_each_other(client, catch_up):
    published(client, "meetings", "Meetings that include everyone", "Send the papers a week before the meeting.")
    published(client, "meetings-easy-read", "Good meetings", "Send the papers early.\n\nOne week is good.",
              easy_read_of="meetings")
    catch_up()
    standard = client.get("/guide/meetings").get_data(as_text=True)
    assert 'href="/guide/meetings-easy-read"' in standard and "Read this section in Easy Read" in standard
    easy = client.get("/guide/meetings-easy-read").get_data(as_text=True)
    assert "This is the Easy Read version." in easy and 'href="/guide/meetings">Read the standard version' in easy
    contents = client.get("/guide").get_data(as_text=True)
    assert 'href="#meetings-easy-read"' not in contents and 'href="/guide/meetings-easy-read"' in contents
    assert client.get("/api/guide/sections/meetings-easy-read/revisions", headers=ADMIN).json[0]["easy_read_of"] \
        == "meetings"


def test_a_standard_section_without_an_easy_read_version_links_to_none(client, catch_up):
    published(client, "meetings", "Meetings", "Words.")
    catch_up()
    assert "Easy Read" not in client.get("/guide/meetings").get_data(as_text=True)


def test_an_easy_read_version_of_itself_or_of_no_slug_is_refused_naming_the_field(client):
    body = {"title": "T", "body": "B", "position": 1, "based_on": 0}
    itself = client.post("/api/guide/sections/x/revisions", headers=ADMIN, json={**body, "easy_read_of": "x"})
    assert itself.status_code == 409 and "easy_read_of" in itself.json["message"]
    bad = client.post("/api/guide/sections/x/revisions", headers=ADMIN, json={**body, "easy_read_of": "Not A Slug"})
    assert bad.status_code == 422 and "easy_read_of" in bad.json["errors"]["json"]
