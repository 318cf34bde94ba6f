"""A person's whole journey, with every service as its own processes (gunicorn web, relay, worker)
on real RabbitMQ, PostgreSQL and an SMTP server: a form POST leads to exactly one email."""
import uuid

import pytest
import requests

from tests.e2e.conftest import FormClient, mail_statuses, open_activity

from tests.support.waiting import wait_until

pytestmark = pytest.mark.real_server
def test_a_registration_leads_to_exactly_one_confirmation_email(system):
    urls, databases, smtp, group = system
    title = f"Journey test {uuid.uuid4().hex[:6]}"
    activity_id = open_activity(urls["registration"], title)

    wait_until(lambda: title in requests.get(f"{urls['content']}/programme", timeout=5).text,
               what="content's programme to list the new activity, from registration's published fact")

    address = f"person-{uuid.uuid4().hex[:6]}@example.org"
    response = FormClient(urls["registration"], activity_id).send("Journey Person", address)
    assert response.status_code == 303, response.text

    received = wait_until(lambda: smtp.to(address), timeout=60, what="the confirmation email")
    wait_until(lambda: mail_statuses(databases["notifications"]) == {"sent": 1},
               what="notifications to record the mail as sent, and nothing else pending")
    group.check_alive()
    print(f"\njourney: accepted=1 emailed={len(smtp.to(address))} mail states={mail_statuses(databases['notifications'])}")
    assert len(smtp.to(address)) == 1
    email = received[0]
    body = email.get_body(("plain",)).get_content()
    assert title in email["Subject"]
    assert "Journey Person" in body and "(UK time)" in body and "10:00 to 12:00" in body
    assert "Hall 1, Test Street, Perth" in body
    assert email["Message-ID"]
