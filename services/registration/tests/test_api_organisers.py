"""The organisers' admin API: running an activity (details, registration, capacity, times,
cancelling) under If-Match, and its bookings (lists, CSV, access brief, check-in, cancelling on
someone's behalf, history and the list as it stood at a moment). Exact statuses throughout."""
import csv
import io
import json
import uuid


import pytest

from shared.actors import Actor
from shared.settings import DEVELOPMENT_SECRET

from registration.domain.commands import Register

ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}


def body(**overrides) -> dict:
    return {"organiser": "Highland Network", "title": "Walk and talk", "starts_at": "2030-11-18T10:00:00+00:00",
            "ends_at": "2030-11-18T12:00:00+00:00", "attendance": "online", "region": "Online", "capacity": 2,
            "open": True, **overrides}


def organiser(client, organisation: str) -> dict:
    issued = client.post("/api/tokens", json={"name": f"{organisation} staff", "role": "organiser",
                                              "organisation": organisation}, headers=ADMIN)
    return {"Authorization": f"Bearer {issued.json['token']}"}


def at(version: int, headers: dict = ADMIN) -> dict:
    return {**headers, "If-Match": f'"{version}"'}


@pytest.fixture
def highland(client):
    return organiser(client, "highland")


@pytest.fixture
def activity(client, highland) -> str:
    created = client.post("/api/activities", json=body(), headers=highland)
    assert created.status_code == 201
    return created.json["activity_id"]


def register(service, activity_id, name, access_needs="", with_carer=False, **needs):
    email = f"{name.lower().replace(' ', '.')}@example.org"
    return service.handle(Register(actor=Actor.person(), activity_id=activity_id, name=name, email=email,
                                   access_needs=access_needs, with_carer=with_carer, **needs)).registration_id


def version_of(client, service, activity_id) -> int:
    service.runtime.projector(service.parts).catch_up()
    read = client.get(f"/api/activities/{activity_id}", headers=ADMIN)
    assert read.headers["ETag"] == f'"{read.json["version"]}"'
    return read.json["version"]


def test_every_change_of_an_activity_names_the_version_it_was_made_from(client, service, activity, highland):
    version = version_of(client, service, activity)
    changed = client.patch(f"/api/activities/{activity}", json={"title": "Walk, talk and tea"},
                           headers=at(version, highland))
    assert changed.status_code == 200 and changed.headers["ETag"] == f'"{version + 1}"'
    stale = client.post(f"/api/activities/{activity}/close", headers=at(version, highland))
    assert stale.status_code == 412 and f"current version is {version + 1}" in stale.json["message"]
    missing = client.post(f"/api/activities/{activity}/close", headers=highland)
    assert missing.status_code == 428 and "If-Match" in missing.json["message"]
    garbled = client.post(f"/api/activities/{activity}/close", headers={**highland, "If-Match": "yesterday"})
    assert garbled.status_code == 400 and "If-Match" in garbled.json["message"]
    service.runtime.projector(service.parts).catch_up()
    assert client.get(f"/api/activities/{activity}", headers=ADMIN).json["title"] == "Walk, talk and tea"


def test_registration_closes_and_reopens_and_the_activity_is_rescheduled_and_cancelled(client, service, activity):
    version = version_of(client, service, activity)
    closed = client.post(f"/api/activities/{activity}/close", headers=at(version))
    assert closed.status_code == 200
    assert client.post(f"/api/activities/{activity}/close", headers=at(version + 1)).status_code == 409
    reopened = client.post(f"/api/activities/{activity}/reopen", headers=at(version + 1))
    assert reopened.status_code == 200
    moved = client.post(f"/api/activities/{activity}/reschedule", headers=at(version + 2),
                        json={"starts_at": "2030-11-19T10:00:00+00:00", "ends_at": "2030-11-19T11:00:00+00:00"})
    assert moved.status_code == 200
    backwards = client.post(f"/api/activities/{activity}/reschedule", headers=at(version + 3),
                            json={"starts_at": "2030-11-19T10:00:00+00:00", "ends_at": "2030-11-19T09:00:00+00:00"})
    assert backwards.status_code == 422 and "ends_at" in backwards.json["errors"]["json"]
    no_reason = client.post(f"/api/activities/{activity}/cancel", headers=at(version + 3), json={})
    assert no_reason.status_code == 422 and "reason" in no_reason.json["errors"]["json"]
    cancelled = client.post(f"/api/activities/{activity}/cancel", headers=at(version + 3),
                            json={"reason": "The venue flooded."})
    assert cancelled.status_code == 200
    version = version_of(client, service, activity)
    read = client.get(f"/api/activities/{activity}", headers=ADMIN).json
    assert (read["status"], read["starts_at"], read["cancellation_reason"]) == (
        "cancelled", "2030-11-19T10:00:00+00:00", "The venue flooded.")
    assert client.post(f"/api/activities/{activity}/reopen", headers=at(version)).status_code == 409


def test_a_change_of_details_keeps_an_in_person_activity_at_a_venue(client, service, activity):
    version = version_of(client, service, activity)
    nowhere = client.patch(f"/api/activities/{activity}", json={"attendance": "in_person"}, headers=at(version))
    assert nowhere.status_code == 422 and "venue" in nowhere.json["errors"]["json"]
    empty = client.patch(f"/api/activities/{activity}", json={}, headers=at(version))
    assert empty.status_code == 422
    moved = client.patch(f"/api/activities/{activity}", json={"attendance": "in_person", "venue": "Hall 2, Inverness"},
                         headers=at(version))
    assert moved.status_code == 200


def test_capacity_below_the_confirmed_is_a_409_naming_both_and_raising_it_promotes(client, service, activity):
    first, second, third = (register(service, activity, name) for name in ("Ada One", "Bo Two", "Cy Three"))
    version = version_of(client, service, activity)
    lower = client.put(f"/api/activities/{activity}/capacity", json={"capacity": 1}, headers=at(version))
    assert lower.status_code == 409 and "cannot be 1" in lower.json["message"] and "2 places" in lower.json["message"]
    raised = client.put(f"/api/activities/{activity}/capacity", json={"capacity": 3}, headers=at(version))
    assert raised.status_code == 200
    confirmed = client.get(f"/api/activities/{activity}/bookings?status=confirmed", headers=ADMIN).json
    assert [b["registration_id"] for b in confirmed] == [first, second, third]
    assert client.put(f"/api/activities/{activity}/capacity", json={"capacity": 2.5},
                      headers=at(version + 2)).status_code == 422


def test_another_organisations_organiser_gets_404_for_every_read_and_change(client, service, activity, highland):
    registration = register(service, activity, "Ada One")
    version = version_of(client, service, activity)
    fife = organiser(client, "fife")
    calls = [("get", f"/api/activities/{activity}", None), ("patch", f"/api/activities/{activity}", {"title": "Mine"}),
             ("post", f"/api/activities/{activity}/close", None), ("post", f"/api/activities/{activity}/reopen", None),
             ("put", f"/api/activities/{activity}/capacity", {"capacity": 9}),
             ("post", f"/api/activities/{activity}/cancel", {"reason": "Mine now"}),
             ("get", f"/api/activities/{activity}/bookings", None), ("get", f"/api/activities/{activity}/bookings.csv", None),
             ("get", f"/api/activities/{activity}/access-brief", None), ("get", f"/api/activities/{activity}/history", None),
             ("post", f"/api/activities/{activity}/bookings/{registration}/check-in", None),
             ("delete", f"/api/activities/{activity}/bookings/{registration}/check-in", None),
             ("post", f"/api/activities/{activity}/bookings/{registration}/cancel", {})]
    for method, path, json in calls:
        answer = client.open(path, method=method.upper(), json=json, headers=at(version, fife))
        assert answer.status_code == 404 and "Ada" not in answer.get_data(as_text=True), (method, path)
    listed = client.get("/api/activities", headers=fife)
    assert listed.status_code == 200 and listed.json == []
    assert [a["activity_id"] for a in client.get("/api/activities", headers=highland).json] == [activity]


def test_activities_are_listed_a_page_at_a_time(client, service):
    for day in range(1, 4):
        client.post("/api/activities", json=body(starts_at=f"2030-11-1{day}T10:00:00+00:00",
                                                 ends_at=f"2030-11-1{day}T11:00:00+00:00"), headers=ADMIN)
    service.runtime.projector(service.parts).catch_up()
    page = client.get("/api/activities?page=2&page_size=2", headers=ADMIN)
    assert page.status_code == 200 and [a["starts_at"][:10] for a in page.json] == ["2030-11-13"]
    assert '"total": 3' in page.headers["X-Pagination"]
    assert client.get("/api/activities?page=0", headers=ADMIN).status_code == 422


def test_the_organiser_sees_who_is_booked_waiting_and_cancelled_with_their_details(client, service, activity, highland):
    first = register(service, activity, "Ada One", access_needs="Step-free access", with_carer=True)
    waiting = [register(service, activity, name) for name in ("Bo Two", "Cy Three")]
    lists = {status: client.get(f"/api/activities/{activity}/bookings?status={status}", headers=highland)
             for status in ("confirmed", "waitlisted", "cancelled")}
    assert {status: answer.status_code for status, answer in lists.items()} == dict.fromkeys(lists, 200)
    [ada] = lists["confirmed"].json
    assert ada["person"] == {"name": "Ada One", "email": "ada.one@example.org", "organisation": "",
                             "access_needs": "Step-free access", "needs": [], "dietary_needs": "",
                             "with_carer": True} and ada["places"] == 2
    assert [b["registration_id"] for b in lists["waitlisted"].json] == waiting
    assert lists["cancelled"].json == []
    cancelled = client.post(f"/api/activities/{activity}/bookings/{first}/cancel", json={"reason": "Asked by phone"},
                            headers=highland)
    assert cancelled.status_code == 200
    confirmed = client.get(f"/api/activities/{activity}/bookings", headers=highland).json
    assert [b["registration_id"] for b in confirmed] == waiting  # both promoted, in the order they joined
    [gone] = client.get(f"/api/activities/{activity}/bookings?status=cancelled", headers=highland).json
    assert (gone["cancelled_by"], gone["cancellation_reason"]) == ("organiser", "Asked by phone")
    again = client.post(f"/api/activities/{activity}/bookings/{first}/cancel", json={}, headers=highland)
    assert again.status_code == 409
    unknown = client.post(f"/api/activities/{activity}/bookings/{uuid.uuid4()}/cancel", json={}, headers=highland)
    assert unknown.status_code == 404
    assert client.get(f"/api/activities/{activity}/bookings?status=maybe", headers=highland).status_code == 422


def test_each_page_of_a_list_holds_its_own_people_in_the_order_they_registered(client, service, activity, highland):
    client.put(f"/api/activities/{activity}/capacity", json={"capacity": 5},
               headers=at(version_of(client, service, activity)))
    names = [f"Person {n}" for n in range(1, 8)]  # five confirmed, two waiting
    booked = dict(zip((register(service, activity, name) for name in names), names))
    with service.runtime.engine.begin() as db:  # the fourth asked to be forgotten
        service.runtime.vault.forget(db, service.runtime.vault.person_with_email(db, "person.4@example.org"))

    def page(status, number, size):
        answer = client.get(f"/api/activities/{activity}/bookings",
                            query_string={"status": status, "page": number, "page_size": size}, headers=highland)
        assert answer.status_code == 200
        return json.loads(answer.headers["X-Pagination"]), [(booked[b["registration_id"]], b["person"]["name"])
                                                             for b in answer.json]

    pages = [page("confirmed", number, 2) for number in (1, 2, 3, 4)]
    assert [shown for _, shown in pages] == [
        [("Person 1", "Person 1"), ("Person 2", "Person 2")], [("Person 3", "Person 3"), ("Person 4", "(forgotten)")],
        [("Person 5", "Person 5")], []]
    assert {(counted["total"], counted["total_pages"]) for counted, _ in pages} == {(5, 3)}
    assert page("waitlisted", 2, 1) == ({"total": 2, "total_pages": 2, "page": 2, "page_size": 1},
                                        [("Person 7", "Person 7")])


def test_check_in_and_its_undo_for_a_confirmed_place_only(client, service, activity):
    ada, _bo, cy = (register(service, activity, name) for name in ("Ada One", "Bo Two", "Cy Three"))
    path = f"/api/activities/{activity}/bookings/{ada}/check-in"
    assert client.post(path, headers=ADMIN).status_code == 200
    assert client.post(path, headers=ADMIN).status_code == 200
    assert client.get(f"/api/activities/{activity}/bookings", headers=ADMIN).json[0]["checked_in"] is True
    assert client.delete(path, headers=ADMIN).status_code == 200
    assert client.get(f"/api/activities/{activity}/bookings", headers=ADMIN).json[0]["checked_in"] is False
    waiting = client.post(f"/api/activities/{activity}/bookings/{cy}/check-in", headers=ADMIN)
    assert waiting.status_code == 409 and "confirmed" in waiting.json["message"]


def test_the_csv_export_neutralises_cells_a_spreadsheet_would_run(client, service, activity):
    register(service, activity, "=HYPERLINK(1)", access_needs="@SUM(A1)")
    register(service, activity, "Bo Two", access_needs="-1+2")
    exported = client.get(f"/api/activities/{activity}/bookings.csv", headers=ADMIN)
    assert exported.status_code == 200 and exported.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert [(r["name"], r["access_needs"]) for r in rows] == [("'=HYPERLINK(1)", "'@SUM(A1)"), ("Bo Two", "'-1+2")]
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row.values())


def test_the_access_brief_counts_needs_without_names(client, service, activity, highland):
    client.put(f"/api/activities/{activity}/capacity", json={"capacity": 5}, headers=at(version_of(client, service, activity)))
    register(service, activity, "Ada One", access_needs="Step-free access", with_carer=True)
    register(service, activity, "Bo Two", access_needs="step-free  access")
    register(service, activity, "Cy Three", access_needs="BSL interpreter", needs=("bsl_interpreter", "dietary"),
             dietary_needs="Vegan")
    register(service, activity, "Di Four", needs=("bsl_interpreter", "step_free", "dietary"),
             dietary_needs="vegan")
    brief = client.get(f"/api/activities/{activity}/access-brief", headers=highland)
    assert brief.status_code == 200
    body = brief.json
    chosen = {need["need"]: need["count"] for need in body.pop("access_needs")}
    assert chosen == {"bsl_interpreter": 2, "captions": 0, "hearing_loop": 0, "step_free": 1, "quiet_space": 0,
                      "dietary": 2}, "each need chosen on the form is counted, the ones nobody chose as 0"
    assert body == {"confirmed_people": 4, "with_carer": 1, "with_access_needs": 4,
                          "dietary_needs": [{"need": "Vegan", "count": 1}, {"need": "vegan", "count": 1}],
                          "needs": [{"need": "BSL interpreter", "count": 1}, {"need": "Step-free access", "count": 1},
                                    {"need": "step-free access", "count": 1}]}
    assert "Ada" not in brief.get_data(as_text=True)


def test_history_says_who_did_what_and_when_and_the_list_stands_as_it_was(client, service, activity, highland):
    ada = register(service, activity, "Ada One")
    register(service, activity, "Bo Two")
    client.post(f"/api/activities/{activity}/bookings/{ada}/cancel", json={}, headers=highland)
    history = client.get(f"/api/activities/{activity}/history?page_size=100", headers=highland)
    assert history.status_code == 200
    assert [(h["change"], h["by"]) for h in history.json] == [
        ("ActivityDrafted", "highland staff"), ("ActivityOpened", "highland staff"),
        ("RegistrationConfirmed", "the person"), ("RegistrationConfirmed", "the person"),
        ("RegistrationCancelled", "highland staff")]
    assert "personal" not in str(history.json) and "Ada" not in history.get_data(as_text=True)
    before_cancelling = history.json[3]["at"]
    then = client.get(f"/api/activities/{activity}/bookings", query_string={"as_at": before_cancelling},
                      headers=highland).json
    now = client.get(f"/api/activities/{activity}/bookings", headers=highland).json
    assert [b["person"]["name"] for b in then] == ["Ada One", "Bo Two"]
    assert [b["person"]["name"] for b in now] == ["Bo Two"]
    assert client.get(f"/api/activities/{activity}/history?as_at=yesterday", headers=highland).status_code == 422
