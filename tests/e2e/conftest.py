"""The three services as separate processes (gunicorn web, relay, worker each) on real RabbitMQ,
PostgreSQL and an SMTP server, and the small clients the end-to-end tests drive them with."""
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
import requests
from sqlalchemy import create_engine, text

from shared.settings import DEVELOPMENT_SECRET
from tests.conftest import free_port
from tests.support.browser import page  # noqa: F401 (the browser fixture, for every end-to-end test)
from tests.support.processes import ProcessGroup
from tests.support.waiting import wait_until

SERVICES = ("registration", "content", "notifications")


@pytest.fixture
def system(tmp_path, new_postgres_database, rabbitmq_url, broker_namespace, smtp_server):
    ports = {service: free_port() for service in SERVICES}
    databases = {service: new_postgres_database() for service in SERVICES}
    env = {"AMQP_URL": rabbitmq_url, "BROKER_NAMESPACE": broker_namespace, "SMTP_URL": smtp_server.url,
           "VAR_DIR": str(tmp_path / "var"), "APP_ENV": "development",
           "SUBMISSIONS_PER_CLIENT": "1000/600"}  # the capacity test is many people behind one address
    for service in SERVICES:
        env[f"{service.upper()}_DATABASE_URL"] = databases[service]
        env[f"{service.upper()}_PORT"] = str(ports[service])
        env[f"{service.upper()}_PUBLIC_URL"] = f"http://127.0.0.1:{ports[service]}"
    group = ProcessGroup(tmp_path, env)
    for service in SERVICES:  # queues and bindings before any relay publishes, as `make run` does
        subprocess.run([sys.executable, "-m", service, "declare-queues"], env=group.env, check=True, capture_output=True)
    for service in SERVICES:
        group.start_service(service, ports[service])
    urls = {service: f"http://127.0.0.1:{port}" for service, port in ports.items()}
    try:
        for service, url in urls.items():
            try:
                wait_until(lambda: _healthy(url, group), timeout=60, what=f"{service} to answer /healthz")
            except AssertionError as error:
                raise AssertionError(f"{error}\n{group.logs()}") from None
        yield urls, databases, smtp_server, group
    finally:
        group.stop()


def _healthy(url, group) -> bool:
    group.check_alive()
    try:
        return requests.get(f"{url}/healthz", timeout=2).status_code == 200
    except (requests.ConnectionError, requests.Timeout):
        return False


def open_activity(registration_url: str, title: str, capacity: int = 5) -> str:
    starts = (datetime.now(timezone.utc) + timedelta(days=30)).replace(hour=10, minute=0, second=0, microsecond=0)
    response = requests.post(f"{registration_url}/api/activities", timeout=10,
                             headers={"Authorization": f"Bearer {DEVELOPMENT_SECRET}"},
                             json={"organiser": "Test Network", "title": title, "summary": "A test.",
                                   "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat(),
                                   "attendance": "in_person", "venue": "Hall 1, Test Street, Perth",
                                   "region": "Perth and Kinross", "capacity": capacity, "open": True})
    assert response.status_code == 201, response.text
    return response.json()["activity_id"]


class FormClient:
    """A person's browser on one activity page: fetches the form (and its CSRF token), then sends it."""

    def __init__(self, registration_url: str, activity_id: str):
        self.url = f"{registration_url}/activities/{activity_id}"
        self.browser = requests.Session()
        wait_until(lambda: self.browser.get(self.url, timeout=5).status_code == 200, what="the activity page")
        html = self.browser.get(self.url, timeout=5).text
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def send(self, name: str, email: str) -> requests.Response:
        return self.browser.post(self.url, timeout=30, allow_redirects=False,
                                 data={"csrf_token": self.token, "name": name, "email": email,
                                       "organisation": "", "access_needs": "Step-free access"})


def query(database_url: str, sql: str, **params) -> list:
    engine = create_engine(database_url)
    try:
        with engine.connect() as db:
            return db.execute(text(sql), params).all()
    finally:
        engine.dispose()


def mail_statuses(database_url: str) -> dict:
    return dict(query(database_url, "SELECT status, count(*) FROM mail_view GROUP BY status"))
