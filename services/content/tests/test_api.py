"""Content's admin API: the guide and programme it holds, to the roles that may read them."""
import pytest

from shared.settings import DEVELOPMENT_SECRET

from content.demo import seed
from tests.support.consuming import handle_directly

ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}


@pytest.fixture
def token_for(client):
    def issue(role):
        issued = client.post("/api/tokens", json={"name": f"a {role}", "role": role}, headers=ADMIN)
        assert issued.status_code == 201, issued.json
        return {"Authorization": f"Bearer {issued.json['token']}"}
    return issue


def test_the_guide_sections_are_listed_in_their_order_with_the_live_revision(client, service, catch_up):
    """In reading order: each section, then its sub-sections."""
    seed(service)
    catch_up()
    sections = client.get("/api/guide/sections", headers=ADMIN)
    assert sections.status_code == 200
    assert [(s["slug"], s["parent"]) for s in sections.json][:3] == [
        ("what-is-co-production", None), ("embedding-co-production", "what-is-co-production"), ("principles", None)]
    assert sections.json[0]["revision"] == 1 and sections.json[0]["published_at"].endswith("+00:00")


def test_the_programme_lists_what_registration_opened(client, service, catch_up, activity_opened):
    handle_directly(service, activity_opened("Walking tour"))
    catch_up()
    entries = client.get("/api/programme", headers=ADMIN).json
    assert [(e["title"], e["starts_at"]) for e in entries] == [("Walking tour", "2030-11-19T13:00:00+00:00")]


def test_a_contributor_reads_the_guide_but_not_the_programme_an_editor_reads_both(client, token_for):
    contributor, editor = token_for("contributor"), token_for("editor")
    assert client.get("/api/guide/sections", headers=contributor).status_code == 200
    assert client.get("/api/programme", headers=contributor).status_code == 403
    assert client.get("/api/programme", headers=editor).status_code == 200
    assert client.get("/api/dead-letters", headers=editor).status_code == 403
    assert client.get("/api/tokens", headers=editor).status_code == 403


def test_dead_letters_are_listed_and_replayed_on_the_embedded_broker(client):
    assert client.get("/api/dead-letters", headers=ADMIN).json == []
    assert client.post("/api/dead-letters/replay", headers=ADMIN).json == {"replayed": 0, "left": 0}


def test_an_organiser_token_is_not_a_content_role(client):
    response = client.post("/api/tokens", json={"name": "x", "role": "organiser", "organisation": "y"}, headers=ADMIN)
    assert response.status_code == 422 and "role" in response.json["errors"]["json"]


def test_tokens_are_issued_listed_and_revoked_from_the_command_line(tmp_path, monkeypatch, capsys, client):
    from shared.cli import main

    from content.api.roles import ROLES
    from content.bootstrap import bootstrap
    monkeypatch.setenv("VAR_DIR", str(tmp_path))  # the database of the service fixture
    assert main(bootstrap, argv=["issue-token", "Guide editor", "--role", "editor"], roles=ROLES) == 0
    token_id, token = [line.split()[0] for line in capsys.readouterr().out.splitlines()[:2]]
    assert client.get("/api/programme", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    assert main(bootstrap, argv=["tokens"], roles=ROLES) == 0 and "Guide editor  editor" in capsys.readouterr().out
    assert main(bootstrap, argv=["revoke-token", token_id], roles=ROLES) == 0
    assert client.get("/api/programme", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    with pytest.raises(SystemExit):
        main(bootstrap, argv=["issue-token", "x", "--role", "organiser"], roles=ROLES)
