"""An organiser runs its own organisation's activities only, for every operation of registration's
admin API that names an activity, generated from the OpenAPI document so that a new endpoint cannot be
left out: an organiser of another organisation gets 404 (as if the activity did not exist, and none of
its data), while the owning organiser is admitted. PostgreSQL is the real one."""
import re
from datetime import datetime, timedelta, timezone

import pytest

from shared.actors import Actor
from shared.settings import DEVELOPMENT_SECRET, load

from registration.app import create_app
from registration.bootstrap import bootstrap
from registration.domain.commands import Register

pytestmark = pytest.mark.real_server
ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}
METHODS = ("get", "post", "put", "patch", "delete")
NAME = "Isolde Owner-Only"


@pytest.fixture
def running(postgres_url, rabbitmq_url, broker_namespace):
    settings = load("registration", {"REGISTRATION_DATABASE_URL": postgres_url, "AMQP_URL": rabbitmq_url,
                                     "BROKER_NAMESPACE": broker_namespace})
    service = bootstrap(settings)
    yield service, create_app(service).test_client()
    service.runtime.engine.dispose()


def organiser(client, organisation: str) -> dict:
    issued = client.post("/api/tokens", json={"name": f"{organisation} staff", "role": "organiser",
                                              "organisation": organisation}, headers=ADMIN)
    return {"Authorization": f"Bearer {issued.json['token']}"}


def an_owned_activity(service, client) -> tuple[str, str, int]:
    starts = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=30)
    created = client.post("/api/activities", headers=ADMIN, json={
        "organisation_id": "owners", "organiser": "Owners", "title": "Owned", "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=1)).isoformat(), "attendance": "online", "region": "Online",
        "capacity": 5, "open": True})
    activity_id = created.json["activity_id"]
    registration_id = service.handle(Register(actor=Actor.person(), activity_id=activity_id, name=NAME,
                                              email="isolde@example.org")).registration_id
    service.runtime.projector(service.parts).catch_up()
    version = client.get(f"/api/activities/{activity_id}", headers=ADMIN).json["version"]
    return activity_id, registration_id, version


def activity_operations(spec: dict):
    for path, item in spec["paths"].items():
        for method in METHODS:
            if method in item and "{activity_id}" in path and "organiser" in item[method].get("x-roles", []):
                yield method, path


def test_another_organisations_organiser_finds_nothing_and_the_owner_is_admitted(running):
    service, client = running
    activity_id, registration_id, version = an_owned_activity(service, client)
    owner, other = organiser(client, "owners"), organiser(client, "others")
    operations = list(activity_operations(client.get("/api/openapi.json").json))
    rows, wrong = [], []
    for caller, headers in (("other organiser", other), ("owning organiser", owner)):
        for method, path in operations:
            url = re.sub(r"\{activity_id\}", activity_id, path).replace("{registration_id}", registration_id)
            response = client.open(url, method=method.upper(), headers={**headers, "If-Match": f'"{version}"'},
                                   json={} if method in ("post", "put", "patch") else None)
            rows.append(f"{method.upper():6} {path:60} {caller:17} {response.status_code}")
            leaked = NAME in response.get_data(as_text=True) or "Owned" in response.get_data(as_text=True)
            if caller == "other organiser" and (response.status_code != 404 or leaked):
                wrong.append(f"{method.upper()} {path} as {caller}: {response.status_code}, leaked={leaked}")
            if caller == "owning organiser" and response.status_code in (401, 403, 404) or response.status_code >= 500:
                wrong.append(f"{method.upper()} {path} as {caller}: {response.status_code}")
    print("\n".join(rows))
    assert len(operations) >= 13 and wrong == []
