"""The admin API: bearer token, a 4xx naming the field for bad input, never a 500."""
import uuid
from datetime import timedelta

import pytest

from shared.settings import DEVELOPMENT_SECRET

from tests.support.messages import NOW  # the clock of the service fixture, too

ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}


def activity_json(**overrides):
    body = {"organiser": "Test Network", "title": "Test activity", "starts_at": "2030-11-18T10:00:00+00:00",
            "ends_at": "2030-11-18T12:00:00+00:00", "attendance": "online", "region": "Online", "capacity": 10}
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not None}


@pytest.mark.parametrize("headers", [
    {}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"},
    {"Authorization": DEVELOPMENT_SECRET},  # the token without the Bearer prefix
    {"Authorization": f"Bearer {DEVELOPMENT_SECRET} "},  # trailing space
    {"Authorization": f"Bearer  {DEVELOPMENT_SECRET}"},  # two spaces
])
def test_the_api_needs_a_bearer_token_exactly_as_rfc_6750_writes_it(client, headers):
    response = client.post("/api/activities", json=activity_json(), headers=headers)
    assert response.status_code == 401 and response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.json["code"] == 401 and response.json["message"]


def test_an_organiser_reads_its_own_organisations_activities_only_and_drafts_for_it_alone(client, service):
    ours = client.post("/api/activities", json=activity_json(organisation_id="highland"), headers=ADMIN)
    theirs = client.post("/api/activities", json=activity_json(organisation_id="fife"), headers=ADMIN)
    issued = client.post("/api/tokens", json={"name": "Highland", "role": "organiser",
                                              "organisation": "highland"}, headers=ADMIN)
    organiser = {"Authorization": f"Bearer {issued.json['token']}"}
    drafted = client.post("/api/activities", json=activity_json(), headers=organiser)
    elsewhere = client.post("/api/activities", json=activity_json(organisation_id="fife"), headers=organiser)
    service.runtime.projector(service.parts).catch_up()
    assert client.get(f"/api/activities/{ours.json['activity_id']}", headers=organiser).status_code == 200
    assert client.get(f"/api/activities/{theirs.json['activity_id']}", headers=organiser).status_code == 404
    assert drafted.status_code == 201
    assert client.get(f"/api/activities/{drafted.json['activity_id']}", headers=ADMIN).json["organisation_id"] == "highland"
    assert elsewhere.status_code == 422 and "organisation_id" in elsewhere.json["errors"]["json"]


def test_a_token_is_shown_once_listed_without_its_secret_and_refused_once_revoked(client):
    issued = client.post("/api/tokens", json={"name": "Network staff laptop", "role": "admin"}, headers=ADMIN)
    assert issued.status_code == 201 and issued.json["token"].startswith("cpw_")
    mine = {"Authorization": f"Bearer {issued.json['token']}"}
    assert client.post("/api/activities", json=activity_json(), headers=mine).status_code == 201
    listed = client.get("/api/tokens", headers=mine).json
    assert [t["name"] for t in listed] == ["Network staff laptop"] and "token" not in listed[0]
    assert listed[0]["last_used_at"] is not None
    assert client.delete(f"/api/tokens/{issued.json['id']}", headers=ADMIN).status_code == 204
    refused = client.get("/api/tokens", headers=mine)
    assert refused.status_code == 401 and "invalid_token" in refused.headers["WWW-Authenticate"]
    unknown = client.delete(f"/api/tokens/{uuid.uuid4()}", headers=ADMIN)
    assert unknown.status_code == 404 and "no token" in unknown.json["message"]


@pytest.mark.parametrize("body, field", [
    ({"name": "x", "role": "wizard"}, "role"),
    ({"name": "x", "role": "organiser"}, "organisation"),
    ({"name": "x", "role": "admin", "organisation": "Fife Network"}, "organisation"),
    ({"name": "", "role": "admin"}, "name"),
])
def test_a_token_needs_a_role_of_this_service_and_an_organisation_only_where_the_role_has_one(client, body, field):
    response = client.post("/api/tokens", json=body, headers=ADMIN)
    assert response.status_code == 422 and field in response.json["errors"]["json"]


def test_an_activity_is_created_opened_and_read_back(client, service):
    activity_id = str(uuid.uuid4())
    created = client.post("/api/activities", json=activity_json(activity_id=activity_id, open=True), headers=ADMIN)
    assert created.status_code == 201 and created.json == {"activity_id": activity_id, "status": "open"}
    service.runtime.projector(service.parts).catch_up()
    read = client.get(f"/api/activities/{activity_id}", headers=ADMIN)
    assert read.status_code == 200
    assert read.json["status"] == "open" and read.json["starts_at"] == "2030-11-18T10:00:00+00:00"


def test_a_draft_is_opened_once_and_a_second_open_is_a_conflict(client):
    activity_id = client.post("/api/activities", json=activity_json(), headers=ADMIN).json["activity_id"]
    opened = client.post(f"/api/activities/{activity_id}/open", headers={**ADMIN, "If-Match": '"1"'})
    assert opened.status_code == 200 and opened.headers["ETag"] == '"2"'
    again = client.post(f"/api/activities/{activity_id}/open", headers={**ADMIN, "If-Match": '"2"'})
    assert again.status_code == 409 and "already open" in again.json["message"]


def test_creating_the_same_activity_id_twice_is_a_conflict(client):
    body = activity_json(activity_id=str(uuid.uuid4()))
    assert client.post("/api/activities", json=body, headers=ADMIN).status_code == 201
    assert client.post("/api/activities", json=body, headers=ADMIN).status_code == 409


@pytest.mark.parametrize("overrides, field", [
    ({"title": None}, "title"),
    ({"capacity": 0}, "capacity"),
    ({"capacity": "many"}, "capacity"),
    ({"capacity": 10.5}, "capacity"),
    ({"capacity": "10"}, "capacity"),
    ({"capacity": 1000.0}, "capacity"),
    ({"capacity": True}, "capacity"),
    ({"attendance": "telepathy"}, "attendance"),
    ({"starts_at": "2030-11-18T10:00:00"}, "starts_at"),
    ({"ends_at": "2030-11-18T09:00:00+00:00"}, "ends_at"),
    ({"attendance": "in_person", "venue": ""}, "venue"),
    ({"activity_id": "not-a-uuid"}, "activity_id"),
    ({"title": "Nul\u0000byte"}, "title"),
    ({"organiser": "Two\nlines"}, "organiser"),
    ({"summary": "bell\u0007"}, "summary"),
    ({"starts_at": "0001-01-01T00:30:00+01:00"}, "starts_at"),
    ({"ends_at": "9999-12-31T22:00:00-05:00"}, "ends_at"),
])
def test_bad_input_is_a_422_that_names_the_field(client, overrides, field):
    response = client.post("/api/activities", json=activity_json(**overrides), headers=ADMIN)
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]


@pytest.mark.parametrize("body, content_type", [("{not json", "application/json"), ("[]", "application/json"),
                                                ("title=x", "application/x-www-form-urlencoded")])
def test_a_body_that_is_not_an_object_is_a_4xx(client, body, content_type):
    response = client.post("/api/activities", data=body, content_type=content_type, headers=ADMIN)
    assert 400 <= response.status_code < 500


def test_json_nested_deeper_than_any_body_is_refused_before_parsing(client):
    body = "[" * 50_000 + "]" * 50_000
    response = client.post("/api/activities", data=body, content_type="application/json", headers=ADMIN)
    assert response.status_code == 400 and "nested" in response.json["message"]


def test_unknown_activities_are_404(client):
    assert client.get(f"/api/activities/{uuid.uuid4()}", headers=ADMIN).status_code == 404
    assert client.post(f"/api/activities/{uuid.uuid4()}/open", headers=ADMIN).status_code == 404


def test_the_openapi_document_describes_the_api(client):
    spec = client.get("/api/openapi.json").json
    assert "/api/activities" in spec["paths"] and "bearerAuth" in spec["components"]["securitySchemes"]
    assert set(spec["x-roles"]) == {"admin", "organiser"}
    assert spec["paths"]["/api/activities/{activity_id}"]["get"]["x-roles"] == ["admin", "organiser"]


def test_an_activity_that_has_started_is_not_opened(client):
    started = NOW - timedelta(hours=1)  # the service's clock is NOW
    past = activity_json(starts_at=started.isoformat(), ends_at=(started + timedelta(hours=2)).isoformat())
    refused = client.post("/api/activities", json={**past, "open": True}, headers=ADMIN)
    assert refused.status_code == 409 and "already started" in refused.json["message"]
    drafted = client.post("/api/activities", json={**past, "open": False}, headers=ADMIN)
    assert drafted.status_code == 201
    opening = client.post(f"/api/activities/{drafted.json['activity_id']}/open", headers={**ADMIN, "If-Match": '"1"'})
    assert opening.status_code == 409 and "already started" in opening.json["message"]
