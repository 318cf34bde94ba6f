"""The admins' mail API: the delivery log by recipient, activity and state (paged), a resend as a
new linked mail, the unknown mails and their resolution (the commands' own code path), an activity's
reminder plan, and a preview of every template."""
import json
import uuid
from datetime import datetime, timezone

import pytest

from shared.cli import main
from shared.contracts.registration import REGISTRATION_CONFIRMED
from shared.settings import DEVELOPMENT_SECRET

from notifications.__main__ import COMMANDS
from notifications.app import create_app
from notifications.delivery import OutcomeUnknown
from notifications.previews import SAMPLES, template_names
from tests.support.messages import ACTIVITY_ID, make_place_message

ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}


@pytest.fixture
def client(service):
    return create_app(service).test_client()


def caught_up(service):
    service.runtime.projector(service.parts).catch_up()


def log(client, query: str):
    response = client.get(f"/api/mail/log?{query}", headers=ADMIN)
    assert response.status_code == 200, response.json
    return response.json, json.loads(response.headers["X-Pagination"])


def booked(person_id: str, email: str = "ada@example.org") -> dict:
    return make_place_message(REGISTRATION_CONFIRMED, str(uuid.uuid4()), person_id, email=email)


def test_the_delivery_log_finds_a_persons_mail_by_their_address_in_any_case(client, service, deliver):
    ada = str(uuid.uuid4())
    deliver(booked(ada), booked(ada), booked(str(uuid.uuid4()), "bo@example.org"))
    service.mailer.send_due()
    caught_up(service)
    ada, paging = log(client, "email=ADA@Example.org")
    assert len(ada) == 2 and paging["total"] == 2 and {m["status"] for m in ada} == {"sent"}
    assert "ada@example.org" not in json.dumps(ada)
    assert log(client, "email=nobody@example.org") == ([], {"total": 0, "total_pages": 0, "page": 1,
                                                             "page_size": 20})


def test_the_delivery_log_by_activity_and_state_comes_a_page_at_a_time(client, service, deliver, confirmed_message):
    deliver(*[confirmed_message(email=f"p{n}@example.org") for n in range(5)])
    caught_up(service)
    first, paging = log(client, f"activity_id={ACTIVITY_ID}&status=queued&page_size=2")
    assert len(first) == 2 and paging == {"total": 5, "total_pages": 3, "page": 1, "page_size": 2}
    last, _ = log(client, f"activity_id={ACTIVITY_ID}&status=queued&page_size=2&page=3")
    assert len(last) == 1 and last[0]["activity_id"] == ACTIVITY_ID
    assert log(client, f"activity_id={uuid.uuid4()}")[0] == [] and log(client, "status=sent")[0] == []


@pytest.mark.parametrize("query", ["email=not-an-address", "activity_id=7", "status=lost", "page=0", "colour=red"])
def test_a_bad_filter_is_a_422_naming_it(client, query):
    response = client.get(f"/api/mail/log?{query}", headers=ADMIN)
    assert response.status_code == 422 and query.partition("=")[0] in response.json["errors"]["query"]


def test_a_resend_is_a_new_mail_linked_to_the_first_never_a_silent_copy(client, service, deliver, delivery,
                                                                       confirmed_message):
    deliver(confirmed_message())
    service.mailer.send_due()
    caught_up(service)
    (first,), _ = log(client, "status=sent")
    answers = [client.post(f"/api/mail/{first['mail_id']}/resend", headers=ADMIN) for _ in range(2)]
    assert [a.status_code for a in answers] == [201, 201]
    again = [a.json["mail_id"] for a in answers]
    assert len(set(again) | {first["mail_id"]}) == 3 and answers[0].json["resend_of"] == first["mail_id"]
    service.mailer.send_due()
    caught_up(service)
    assert len(delivery.sent) == 3 and len({m["Message-ID"] for m in delivery.sent}) == 3
    logged = {m["mail_id"]: m for m in log(client, "email=ada@example.org")[0]}
    assert logged[again[0]]["resend_of"] == first["mail_id"] and logged[first["mail_id"]]["resent_as"] == again[1]


def test_only_a_finished_mail_is_resent(client, service, deliver, confirmed_message):
    deliver(confirmed_message())
    caught_up(service)
    (queued,), _ = log(client, "status=queued")
    assert client.post(f"/api/mail/{queued['mail_id']}/resend", headers=ADMIN).status_code == 409
    assert client.post(f"/api/mail/{uuid.uuid4()}/resend", headers=ADMIN).status_code == 404


def test_unknown_mail_is_listed_and_resolved_through_the_api_as_by_the_command(client, service, deliver, delivery,
                                                                             confirmed_message, capsys):
    delivery.after_hand_over = [OutcomeUnknown("no reply"), OutcomeUnknown("no reply")]
    deliver(confirmed_message(), confirmed_message(email="bo@example.org"))
    service.mailer.send_due()
    caught_up(service)
    listed = client.get("/api/mail/unresolved", headers=ADMIN).json
    assert main(lambda: service, argv=["unresolved-mail"], commands=COMMANDS) == 1
    printed = capsys.readouterr().out
    assert len(listed) == 2 and all(mail["mail_id"] in printed for mail in listed)
    sent, resend = listed
    assert client.post(f"/api/mail/{sent['mail_id']}/resolve", json={"outcome": "sent"}, headers=ADMIN).json == \
        {"mail_id": sent["mail_id"], "outcome": "sent"}
    assert client.post(f"/api/mail/{resend['mail_id']}/resolve", json={"outcome": "resend"},
                       headers=ADMIN).status_code == 200
    assert client.post(f"/api/mail/{sent['mail_id']}/resolve", json={"outcome": "sent"},
                       headers=ADMIN).status_code == 409
    refused = client.post(f"/api/mail/{sent['mail_id']}/resolve", json={"outcome": "maybe"}, headers=ADMIN)
    assert refused.status_code == 422 and "outcome" in refused.json["errors"]["json"]
    service.mailer.send_due()
    caught_up(service)
    assert client.get("/api/mail/unresolved", headers=ADMIN).json == [] and len(delivery.sent) == 1


def test_the_reminder_plan_shows_what_is_still_ahead(client, service, deliver):
    deliver()
    plan = client.get(f"/api/activities/{ACTIVITY_ID}/reminders", headers=ADMIN).json
    assert plan["planned"] == [{"offset": "24h", "due_at": "2030-11-17T10:00:00+00:00"},
                               {"offset": "1h", "due_at": "2030-11-18T09:00:00+00:00"}]
    assert plan["queued"] == {}
    unknown = client.get(f"/api/activities/{uuid.uuid4()}/reminders", headers=ADMIN).json
    assert unknown["planned"] == []


def test_every_template_has_a_preview_in_text_and_html(client):
    names = client.get("/api/templates", headers=ADMIN).json["templates"]
    assert names == template_names() == sorted(SAMPLES)
    for name in names:
        shown = client.get(f"/api/templates/{name}/preview", headers=ADMIN)
        assert shown.status_code == 200, name
        assert shown.json["subject"] and shown.json["text"].strip() and "<html" in shown.json["html"]
    announcement = client.get("/api/templates/guide_section_published/preview", headers=ADMIN).json
    assert announcement["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    confirmed = client.get("/api/templates/registration_confirmed/preview", headers=ADMIN).json
    assert "BEGIN:VCALENDAR" in confirmed["calendar"]
    assert client.get("/api/templates/nothing/preview", headers=ADMIN).status_code == 404
