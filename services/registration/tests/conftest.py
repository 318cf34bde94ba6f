"""Registration as one app through its pages and API: SQLite and the in-process broker."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from shared.settings import DEVELOPMENT_SECRET, load

from registration.app import create_app
from registration.bootstrap import bootstrap

ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}
NOW = datetime(2030, 11, 1, 9, tzinfo=timezone.utc)


@pytest.fixture
def service(tmp_path):
    settings = load("registration", {"VAR_DIR": str(tmp_path), "BROKER_NAMESPACE": f"t{uuid.uuid4().hex[:8]}"})
    built = bootstrap(settings, clock=lambda: NOW)
    yield built
    built.runtime.engine.dispose()


@pytest.fixture
def app(service):
    app = create_app(service)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def activity_json(**overrides) -> dict:
    starts = NOW + timedelta(days=17)
    return {"organiser": "Test Network", "title": "Test activity", "summary": "About it.",
            "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "attendance": "in_person", "venue": "Hall 1, Perth", "region": "Perth and Kinross",
            "capacity": 1, "open": True, **overrides}


@pytest.fixture
def open_activity(client, service):
    response = client.post("/api/activities", json=activity_json(), headers=ADMIN)
    assert response.status_code == 201, response.json
    service.runtime.projector(service.parts).catch_up()
    return response.json["activity_id"]


@pytest.fixture
def post_form(client):
    """Send the registration form as a browser would, with its CSRF token."""
    def post(activity_id, **fields):
        page = client.get(f"/activities/{activity_id}").get_data(as_text=True)
        token = page.split('name="csrf_token" value="')[1].split('"')[0]
        data = {"csrf_token": token, "name": "Ada Example", "email": "ada@example.org",
                "organisation": "", "access_needs": "", **fields}
        return client.post(f"/activities/{activity_id}", data=data)
    return post
