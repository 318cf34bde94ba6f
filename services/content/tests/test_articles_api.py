"""Posts and case studies written in revisions through the admin API, as the guide's sections are."""
import pytest

from shared.settings import DEVELOPMENT_SECRET

ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}
POST = {"title": "Week ahead", "summary": "What is on.", "body": "Come **along**.", "author": "Morag Bell",
        "tags": ["week-ahead", "housing"]}
CASE_STUDY = {**POST, "title": "Tenants first", "organisation": "Fife Housing Network", "sector": "housing"}


def write(client, headers, kind="posts", slug="week-ahead", based_on=0, **changes):
    words = CASE_STUDY if kind == "case-studies" else POST
    return client.post(f"/api/{kind}/{slug}/revisions", json={**words, "based_on": based_on, **changes},
                       headers=headers)


@pytest.mark.parametrize("kind", ["posts", "case-studies"])
def test_a_contributor_writes_and_submits_an_editor_publishes(client, as_role, catch_up, kind):
    contributor, editor = as_role("contributor"), as_role("editor")
    assert write(client, contributor, kind).json == {"slug": "week-ahead", "revision": 1}
    assert client.post(f"/api/{kind}/week-ahead/revisions/1/submit", headers=contributor).status_code == 204
    assert client.post(f"/api/{kind}/week-ahead/revisions/1/publish", headers=contributor).status_code == 403
    assert client.post(f"/api/{kind}/week-ahead/revisions/1/publish", headers=editor).status_code == 204
    catch_up()
    history = client.get(f"/api/{kind}/week-ahead/revisions", headers=contributor).json
    assert [(r["revision"], r["state"], r["tags"]) for r in history] == [(1, "published", ["week-ahead", "housing"])]
    page = client.get(f"/{kind}/week-ahead")
    assert page.status_code == 200 and "Morag Bell" in page.get_data(as_text=True)
    [live] = client.get(f"/api/{kind}", headers=contributor).json
    assert (live["slug"], live["revision"], live["author"]) == ("week-ahead", 1, "Morag Bell")


def test_a_draft_is_never_shown_to_readers_and_a_stale_save_is_a_409(client, catch_up):
    write(client, ADMIN)
    write(client, ADMIN, based_on=1, body="Second")
    stale = write(client, ADMIN, based_on=1, body="Mine")
    assert stale.status_code == 409 and "Post week-ahead" in stale.json["message"]
    catch_up()
    assert client.get("/posts/week-ahead").status_code == 404
    assert "Week ahead" not in client.get("/posts").get_data(as_text=True)
    preview = client.get("/api/posts/week-ahead/revisions/2/preview", headers=ADMIN)
    assert preview.status_code == 200 and preview.json["preview"] is True and preview.json["checks"] == []


def test_the_preview_shows_the_editorial_checks_findings_without_blocking(client, catch_up):
    write(client, ADMIN, body="# Again\n\n![](map.png) [click here](/programme)")
    catch_up()
    preview = client.get("/api/posts/week-ahead/revisions/1/preview", headers=ADMIN).json
    assert [f["check"] for f in preview["checks"]] == ["heading", "alt_text", "link_text"]
    assert client.post("/api/posts/week-ahead/revisions/1/publish", headers=ADMIN).status_code == 204


def test_withdraw_takes_an_article_down_and_restore_writes_it_anew(client, catch_up):
    write(client, ADMIN)
    client.post("/api/posts/week-ahead/revisions/1/publish", headers=ADMIN)
    assert client.post("/api/posts/week-ahead/withdraw", headers=ADMIN).status_code == 204
    assert client.post("/api/posts/week-ahead/withdraw", headers=ADMIN).status_code == 409
    restored = client.post("/api/posts/week-ahead/revisions/1/restore", json={"based_on": 1}, headers=ADMIN)
    assert restored.status_code == 201 and restored.json["revision"] == 2
    catch_up()
    assert client.get("/posts/week-ahead").status_code == 404


@pytest.mark.parametrize("kind, changes, field", [
    ("case-studies", {"sector": "fishing"}, "sector"),
    ("case-studies", {"organisation": ""}, "organisation"),
    ("posts", {"tags": ["Not A Tag"]}, "tags"),
    ("posts", {"tags": [f"t{n}" for n in range(11)]}, "tags"),
    ("posts", {"author": "Line\nbreak"}, "author"),
    ("posts", {"summary": ""}, "summary"),
    ("posts", {"based_on": "0"}, "based_on"),
])
def test_bad_input_is_a_422_naming_the_field(client, kind, changes, field):
    refused = write(client, ADMIN, kind, **changes)
    assert refused.status_code == 422 and field in refused.json["errors"]["json"]


def test_a_case_study_needs_its_organisation_and_sector(client):
    words = {k: v for k, v in CASE_STUDY.items() if k not in ("organisation", "sector")}
    refused = client.post("/api/case-studies/x/revisions", json={**words, "based_on": 0}, headers=ADMIN)
    assert refused.status_code == 422 and {"organisation", "sector"} <= set(refused.json["errors"]["json"])


def test_every_revision_is_shown_again_the_same_after_the_read_tables_are_rebuilt(client, service, catch_up):
    write(client, ADMIN)
    write(client, ADMIN, based_on=1, body="Second *words*", tags=["other"])
    client.post("/api/posts/week-ahead/revisions/1/publish", headers=ADMIN)
    client.post("/api/posts/week-ahead/revisions/2/publish", headers=ADMIN)
    catch_up()
    before = (client.get("/api/posts/week-ahead/revisions", headers=ADMIN).json, client.get("/posts/week-ahead").data,
              client.get("/posts?tag=other").data)
    assert service.runtime.projector(service.parts).rebuild("articles") > 0
    after = (client.get("/api/posts/week-ahead/revisions", headers=ADMIN).json, client.get("/posts/week-ahead").data,
             client.get("/posts?tag=other").data)
    assert after == before and b"Second <em>words</em>" in after[1]
