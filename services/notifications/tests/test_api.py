"""Notifications' admin API: mail by state, with counts."""
import pytest

from shared.settings import DEVELOPMENT_SECRET

from notifications.app import create_app

ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}


@pytest.fixture
def client(service):
    return create_app(service).test_client()


def test_mail_is_counted_by_state_and_listed_for_one_state(client, service, deliver, confirmed_message):
    deliver(confirmed_message())
    deliver(confirmed_message(email="bo@example.org"))
    service.mailer.send_due()
    service.runtime.projector(service.parts).catch_up()
    everything = client.get("/api/mail", headers=ADMIN).json
    assert everything["counts"] == {"sent": 2} and len(everything["mail"]) == 2
    assert client.get("/api/mail?status=queued", headers=ADMIN).json == {"counts": {"sent": 2}, "mail": []}
    sent = client.get("/api/mail?status=sent", headers=ADMIN).json["mail"]
    assert {m["status"] for m in sent} == {"sent"} and "ada@example.org" not in str(sent)


def test_an_unknown_state_is_a_422_naming_the_field(client):
    response = client.get("/api/mail?status=lost", headers=ADMIN)
    assert response.status_code == 422 and "status" in response.json["errors"]["query"]


def test_a_mistyped_filter_is_refused_rather_than_ignored(client):
    response = client.get("/api/mail?state=sent", headers=ADMIN)
    assert response.status_code == 422 and "state" in response.json["errors"]["query"]
