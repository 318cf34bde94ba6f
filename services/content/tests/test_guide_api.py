"""Writing the guide in revisions through the admin API: exact statuses for each role and state."""
import pytest

from shared.settings import DEVELOPMENT_SECRET

ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}
DRAFT = {"title": "Meetings that include everyone", "body": "Send papers **a week** before.", "position": 5}


def write(client, headers, based_on=0, slug="meetings", **changes):
    return client.post(f"/api/guide/sections/{slug}/revisions", json={**DRAFT, "based_on": based_on, **changes},
                       headers=headers)


def test_a_contributor_writes_and_submits_an_editor_publishes(client, as_role, catch_up):
    contributor, editor = as_role("contributor"), as_role("editor")
    written = write(client, contributor)
    assert written.status_code == 201 and written.json == {"slug": "meetings", "revision": 1}
    assert client.post("/api/guide/sections/meetings/revisions/1/submit", headers=contributor).status_code == 204
    assert client.post("/api/guide/sections/meetings/revisions/1/submit", headers=contributor).status_code == 409
    assert client.post("/api/guide/sections/meetings/revisions/1/publish", headers=contributor).status_code == 403
    assert client.post("/api/guide/sections/meetings/revisions/1/publish", headers=editor).status_code == 204
    catch_up()
    assert client.get("/guide/meetings").status_code == 200
    history = client.get("/api/guide/sections/meetings/revisions", headers=contributor).json
    assert [(r["revision"], r["state"]) for r in history] == [(1, "published")]


def test_saving_from_a_stale_revision_is_a_409_naming_the_current_one(client):
    assert write(client, ADMIN).status_code == 201
    assert write(client, ADMIN, based_on=1, body="Second").status_code == 201
    stale = write(client, ADMIN, based_on=1, body="Mine")
    assert stale.status_code == 409 and "current revision is 2" in stale.json["message"]


def test_a_draft_is_previewed_with_a_token_and_never_shown_to_readers(client, catch_up):
    write(client, ADMIN)
    catch_up()
    preview = client.get("/api/guide/sections/meetings/revisions/1/preview", headers=ADMIN)
    assert preview.status_code == 200 and preview.json["preview"] is True
    assert "<strong>a week</strong>" in preview.json["html"]
    assert client.get("/api/guide/sections/meetings/revisions/1/preview").status_code == 401
    assert client.get("/guide/meetings").status_code == 404
    assert client.get("/guide/meetings/revisions/1").status_code == 404
    assert "Meetings that include everyone" not in client.get("/guide").get_data(as_text=True)


def test_withdraw_takes_the_section_down_and_restore_writes_an_old_revision_anew(client, catch_up):
    write(client, ADMIN)
    write(client, ADMIN, based_on=1, body="Different words")
    client.post("/api/guide/sections/meetings/revisions/2/publish", headers=ADMIN)
    assert client.post("/api/guide/sections/meetings/withdraw", headers=ADMIN).status_code == 204
    assert client.post("/api/guide/sections/meetings/withdraw", headers=ADMIN).status_code == 409
    restored = client.post("/api/guide/sections/meetings/revisions/1/restore", json={"based_on": 2}, headers=ADMIN)
    assert restored.status_code == 201 and restored.json["revision"] == 3
    catch_up()
    assert client.get("/guide/meetings").status_code == 404
    third = client.get("/api/guide/sections/meetings/revisions", headers=ADMIN).json[2]
    assert (third["body"], third["restored_from"], third["state"]) == (DRAFT["body"], 1, "draft")


def test_bad_input_is_a_4xx_naming_the_field(client):
    assert write(client, ADMIN, slug="Not A Slug").status_code == 422
    assert "slug" in write(client, ADMIN, slug="Not_A_Slug").json["message"]
    refused = write(client, ADMIN, based_on="1")
    assert refused.status_code == 422 and "based_on" in refused.json["errors"]["json"]
    assert client.post("/api/guide/sections/none/revisions/3/publish", headers=ADMIN).status_code == 404
