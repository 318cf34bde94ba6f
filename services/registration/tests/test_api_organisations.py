"""Admins create the network's member organisations (facts in registration's log), list them, and
issue each one's organisers their tokens; a token for an organisation that does not exist is refused."""
import pytest

from shared.settings import DEVELOPMENT_SECRET

ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}
ACTIVITY = {"organiser": "Highland Housing Voices", "title": "Repairs together", "attendance": "online",
            "starts_at": "2030-11-18T10:00:00+00:00", "ends_at": "2030-11-18T12:00:00+00:00", "region": "Online",
            "capacity": 5}


def create(client, **body):
    return client.post("/api/organisations", json=body, headers=ADMIN)


def test_an_admin_creates_organisations_and_lists_them_by_name(client, service):
    first = create(client, organisation_id="highland-housing", name="Highland Housing Voices")
    assert first.status_code == 201 and first.json["organisation_id"] == "highland-housing"
    second = create(client, name="Borders Carers Collective")
    assert second.status_code == 201 and len(second.json["organisation_id"]) == 36, "a UUID when none is given"
    with service.runtime.engine.connect() as db:
        [fact] = service.runtime.store.read_stream(db, "organisation-highland-housing")
    assert (fact.type, fact.data) == ("OrganisationCreated", {"organisation_id": "highland-housing",
                                                               "name": "Highland Housing Voices"})
    service.runtime.projector(service.parts).catch_up()
    listed = client.get("/api/organisations?page_size=1", headers=ADMIN)
    assert listed.status_code == 200 and [o["name"] for o in listed.json] == ["Borders Carers Collective"]
    assert '"total": 2' in listed.headers["X-Pagination"]


def test_an_organisation_is_created_once(client):
    assert create(client, organisation_id="fife", name="Fife").status_code == 201
    again = create(client, organisation_id="fife", name="Fife again")
    assert again.status_code == 409 and "fife already exists" in again.json["message"]


@pytest.mark.parametrize("body, field", [({}, "name"), ({"name": ""}, "name"), ({"name": "A\nB"}, "name"),
                                         ({"name": "A", "organisation_id": "has space"}, "organisation_id"),
                                         ({"name": "A", "organisation_id": "x" * 101}, "organisation_id"),
                                         ({"name": "A", "organisation_id": 7}, "organisation_id")])
def test_a_wrong_organisation_is_refused_naming_the_field(client, body, field):
    response = create(client, **body)
    assert response.status_code == 422 and field in response.json["errors"]["json"], response.json


def test_an_organisers_token_acts_for_its_organisation_only(client, service):
    create(client, organisation_id="highland-housing", name="Highland Housing Voices")
    issued = client.post("/api/organisations/highland-housing/tokens", json={"name": "Morag"}, headers=ADMIN)
    assert issued.status_code == 201, issued.json
    assert (issued.json["role"], issued.json["organisation"], issued.json["name"]) == (
        "organiser", "highland-housing", "Morag")
    morag = {"Authorization": f"Bearer {issued.json['token']}"}
    drafted = client.post("/api/activities", json=ACTIVITY, headers=morag)
    assert drafted.status_code == 201
    service.runtime.projector(service.parts).catch_up()
    read = client.get(f"/api/activities/{drafted.json['activity_id']}", headers=morag)
    assert read.status_code == 200 and read.json["organisation_id"] == "highland-housing"
    assert client.get("/api/organisations", headers=morag).status_code == 403, "organisers do not manage organisations"
    listed = client.get("/api/tokens", headers=ADMIN).json
    assert [t["organisation"] for t in listed if t["name"] == "Morag"] == ["highland-housing"]


@pytest.mark.parametrize("organisation_id", ["nobody", "not%20an%20id", "x" * 300])
def test_a_token_for_an_organisation_that_does_not_exist_is_refused_naming_it(client, organisation_id):
    response = client.post(f"/api/organisations/{organisation_id}/tokens", json={"name": "Someone"}, headers=ADMIN)
    assert response.status_code == 404 and response.json["message"].startswith("organisation_id: there is no")
    assert client.get("/api/tokens", headers=ADMIN).json == []


def test_an_organisers_token_needs_a_name(client):
    create(client, organisation_id="fife", name="Fife")
    response = client.post("/api/organisations/fife/tokens", json={}, headers=ADMIN)
    assert response.status_code == 422 and "name" in response.json["errors"]["json"]
