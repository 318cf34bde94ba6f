"""With its PostgreSQL database gone, registration answers 503 with Retry-After and a plain page,
keeps what the person typed in the form, records nothing, and works again once the database is back."""
import re
import uuid

import pytest
from sqlalchemy import func, select

from shared.page_cache import PageCache
from shared.settings import load
from tests.integration.test_rate_limits import open_activity
from tests.support.outage import DatabaseOutage

from registration.app import create_app
from registration.bootstrap import bootstrap

pytestmark = pytest.mark.real_server
TYPED = {"name": "Morag Example", "email": "morag@example.org", "organisation": "Fife Carers",
         "access_needs": "A hearing loop, please"}


@pytest.fixture
def registration(tmp_path, postgres_url):
    env = {"REGISTRATION_DATABASE_URL": postgres_url, "VAR_DIR": str(tmp_path / "var"),
           "BROKER_NAMESPACE": f"t{uuid.uuid4().hex[:8]}"}
    activity_id = open_activity(env)
    service = bootstrap(load("registration", env))
    app = create_app(service)
    app.extensions["page_cache"] = PageCache(0, service.runtime.clock)  # off: a page read just before would be kept
    yield service, app.test_client(), activity_id
    service.runtime.engine.dispose()


def facts(service) -> int:
    with service.runtime.engine.connect() as db:
        return db.execute(select(func.count()).select_from(service.runtime.store.table)).scalar()


def test_pages_answer_503_and_the_form_keeps_what_was_typed(registration, postgres_server, postgres_url):
    service, client, activity_id = registration
    form = client.get(f"/activities/{activity_id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    before = facts(service)
    with DatabaseOutage(postgres_server, postgres_url):
        for path in ("/", f"/activities/{activity_id}"):
            page = client.get(path)
            assert page.status_code == 503 and page.headers["Retry-After"] == "30", path
            assert "try again in a minute" in page.get_data(as_text=True)
        sent = client.post(f"/activities/{activity_id}", data={"csrf_token": token, **TYPED})
        page = sent.get_data(as_text=True)
        assert sent.status_code == 503 and sent.headers["Retry-After"] == "30"
        assert "nothing was recorded" in page and "Traceback" not in page
        for field, value in TYPED.items():
            assert value in page, f"what was typed in {field} is lost"
        assert f'action="/activities/{activity_id}"' in page
    again = client.post(f"/activities/{activity_id}", data={"csrf_token": token, **TYPED})
    assert again.status_code == 303 and facts(service) == before + 1
