"""A person's whole journey, with every service as its own processes (gunicorn web, relay, worker)
on real RabbitMQ, PostgreSQL and an SMTP server: a form POST leads to exactly one email."""
import re
import uuid
from datetime import datetime, timedelta, timezone

import pytest
import requests
from sqlalchemy import create_engine, text

from shared.settings import DEVELOPMENT_SECRET
from tests.conftest import free_port
from tests.support.processes import ProcessGroup
from tests.support.waiting import wait_until

pytestmark = pytest.mark.real_server
SERVICES = ("registration", "content", "notifications")


@pytest.fixture
def system(tmp_path, new_postgres_database, rabbitmq_url, broker_namespace, smtp_server):
    ports = {service: free_port() for service in SERVICES}
    databases = {service: new_postgres_database() for service in SERVICES}
    env = {"AMQP_URL": rabbitmq_url, "BROKER_NAMESPACE": broker_namespace, "SMTP_URL": smtp_server.url,
           "VAR_DIR": str(tmp_path / "var"), "APP_ENV": "development"}
    for service in SERVICES:
        env[f"{service.upper()}_DATABASE_URL"] = databases[service]
        env[f"{service.upper()}_PORT"] = str(ports[service])
        env[f"{service.upper()}_PUBLIC_URL"] = f"http://127.0.0.1:{ports[service]}"
    group = ProcessGroup(tmp_path, env)
    for service in SERVICES:
        group.start_service(service, ports[service])
    urls = {service: f"http://127.0.0.1:{port}" for service, port in ports.items()}
    try:
        for service, url in urls.items():
            wait_until(lambda: _healthy(url, group), timeout=60, what=f"{service} to answer /healthz")
        yield urls, databases, smtp_server, group
    finally:
        group.stop()


def _healthy(url, group) -> bool:
    group.check_alive()
    try:
        return requests.get(f"{url}/healthz", timeout=2).status_code == 200
    except (requests.ConnectionError, requests.Timeout):
        return False


def open_activity(registration_url: str, title: str) -> str:
    starts = (datetime.now(timezone.utc) + timedelta(days=30)).replace(hour=10, minute=0, second=0, microsecond=0)
    response = requests.post(f"{registration_url}/api/activities", timeout=10,
                             headers={"Authorization": f"Bearer {DEVELOPMENT_SECRET}"},
                             json={"organiser": "Test Network", "title": title, "summary": "A test.",
                                   "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat(),
                                   "attendance": "in_person", "venue": "Hall 1, Test Street, Perth",
                                   "region": "Perth and Kinross", "capacity": 5, "open": True})
    assert response.status_code == 201, response.text
    return response.json()["activity_id"]


def register(registration_url: str, activity_id: str, name: str, email: str) -> requests.Response:
    browser = requests.Session()
    wait_until(lambda: browser.get(f"{registration_url}/activities/{activity_id}", timeout=5).status_code == 200,
               what="the activity page")
    page = browser.get(f"{registration_url}/activities/{activity_id}", timeout=5).text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return browser.post(f"{registration_url}/activities/{activity_id}", timeout=10, allow_redirects=False,
                        data={"csrf_token": token, "name": name, "email": email,
                              "organisation": "", "access_needs": "Step-free access"})


def mail_statuses(database_url: str) -> dict:
    engine = create_engine(database_url)
    try:
        with engine.connect() as db:
            return dict(db.execute(text("SELECT status, count(*) FROM mail_view GROUP BY status")).all())
    finally:
        engine.dispose()


def test_a_registration_leads_to_exactly_one_confirmation_email(system):
    urls, databases, smtp, group = system
    title = f"Journey test {uuid.uuid4().hex[:6]}"
    activity_id = open_activity(urls["registration"], title)

    wait_until(lambda: title in requests.get(f"{urls['content']}/programme", timeout=5).text,
               what="content's programme to list the new activity, from registration's published fact")

    address = f"person-{uuid.uuid4().hex[:6]}@example.org"
    response = register(urls["registration"], activity_id, "Journey Person", address)
    assert response.status_code == 303, response.text

    received = wait_until(lambda: smtp.to(address), timeout=60, what="the confirmation email")
    wait_until(lambda: mail_statuses(databases["notifications"]) == {"sent": 1},
               what="notifications to record the mail as sent, and nothing else pending")
    group.check_alive()
    assert len(smtp.to(address)) == 1
    email = received[0]
    body = email.get_content()
    assert title in email["Subject"]
    assert "Journey Person" in body and "(UK time)" in body and "10:00 to 12:00" in body
    assert "Hall 1, Test Street, Perth" in body
    assert email["Message-ID"]
