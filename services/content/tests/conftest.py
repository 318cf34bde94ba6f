"""Content as one app: SQLite and the in-process broker."""
import uuid
from datetime import datetime, timezone

import pytest

from shared.contracts import envelope
from shared.contracts.registration import ACTIVITY_OPENED
from shared.settings import DEVELOPMENT_SECRET, load

from content.app import create_app
from content.bootstrap import bootstrap


ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}


@pytest.fixture
def service(tmp_path):
    built = bootstrap(load("content", {"VAR_DIR": str(tmp_path)}))
    yield built
    built.runtime.engine.dispose()


@pytest.fixture
def client(service):
    return create_app(service).test_client()


@pytest.fixture
def catch_up(service):
    return lambda: service.runtime.projector(service.parts).catch_up()


@pytest.fixture
def activity_opened():
    def make(title="Opened activity"):
        payload = {"activity_id": str(uuid.uuid4()), "title": title, "summary": "About it.",
                   "organiser": "Test Network", "starts_at": "2030-11-19T13:00:00+00:00",
                   "ends_at": "2030-11-19T15:00:00+00:00", "attendance": "hybrid", "venue": "Hall 1",
                   "region": "Highland", "capacity": 20}
        return envelope(ACTIVITY_OPENED, payload, "registration", message_id=str(uuid.uuid4()),
                        occurred_at=datetime.now(timezone.utc), correlation_id="c")
    return make


@pytest.fixture
def as_role(client):
    """Headers with a new token of that role."""
    def issue(role):
        issued = client.post("/api/tokens", json={"name": f"a {role}", "role": role}, headers=ADMIN)
        return {"Authorization": f"Bearer {issued.json['token']}"}
    return issue
