"""Manage your booking, from the signed link in the confirmation: see it, change the access needs
(the person's latest details sealed again), cancel after a confirm step (the first waiting promoted).
A link we did not sign, or one used after the activity has ended, is a 404 that tells nothing."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from shared.actors import Actor
from shared.settings import DEVELOPMENT_SECRET, load

from registration.app import create_app
from registration.bootstrap import bootstrap
from registration.domain.activity import stream_id
from registration.domain.commands import Register
from registration.manage_links import manage_links
from tests.support.activities import open_activity_command

ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}
NOW = datetime(2030, 11, 1, 9, tzinfo=timezone.utc)
STARTS = NOW + timedelta(days=10)


@pytest.fixture
def moment():
    return [NOW]


@pytest.fixture
def service(tmp_path, moment):
    settings = load("registration", {"VAR_DIR": str(tmp_path), "BROKER_NAMESPACE": f"t{uuid.uuid4().hex[:8]}"})
    built = bootstrap(settings, clock=lambda: moment[0])
    yield built
    built.runtime.engine.dispose()


@pytest.fixture
def client(service):
    return create_app(service).test_client()


@pytest.fixture
def activity(service) -> str:
    command = open_activity_command(capacity=1, starts=STARTS)
    service.handle(command)
    return command.activity_id


def register(service, activity, name, **extra) -> str:
    email = f"{name.split()[0].lower()}@example.org"
    return service.handle(Register(actor=Actor.person(), activity_id=activity, name=name, email=email,
                                   **extra)).registration_id


def link(service, registration_id, activity) -> str:
    return manage_links(service.runtime.settings).url(registration_id, activity).split("/", 3)[3]


def csrf(page: str) -> str:
    return page.split('name="csrf_token" value="')[1].split('"')[0]


def confirmed_people(client, activity) -> list[dict]:
    return [b["person"] for b in client.get(f"/api/activities/{activity}/bookings", headers=ADMIN).json]


def test_the_confirmation_message_carries_the_link_that_shows_the_booking(client, service, activity):
    ada = register(service, activity, "Ada One")
    with service.runtime.engine.connect() as db:
        fact = service.runtime.store.read_stream(db, stream_id(activity))[-1]
        [message] = service.parts.translate(db, fact)
    assert message["payload"]["manage_url"].endswith("/" + link(service, ada, activity))
    page = client.get("/" + link(service, ada, activity))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Ada One" in text and "Confirmed" in text and "Cancel my booking" in text


def test_changing_access_needs_keeps_the_latest_details_the_person_gave(client, service, activity):
    ada = register(service, activity, "Ada One", organisation="Fife Carers")
    register(service, activity, "Ada One", organisation="Fife Carers Centre")  # sent again, corrected
    path = "/" + link(service, ada, activity)
    saved = client.post(f"{path}/access-needs", data={"csrf_token": csrf(client.get(path).get_data(as_text=True)),
                                                      "access_needs": "A hearing loop", "needs": "hearing_loop"})
    assert saved.status_code == 303 and saved.headers["Location"].endswith(f"{path}?saved=1")
    assert confirmed_people(client, activity) == [{"name": "Ada One", "email": "ada@example.org",
                                                   "organisation": "Fife Carers Centre",
                                                   "access_needs": "A hearing loop", "needs": ["hearing_loop"],
                                                   "dietary_needs": "", "with_carer": False}]
    assert "A hearing loop" in client.get(f"{path}?saved=1").get_data(as_text=True)


def test_access_needs_that_are_not_plain_text_are_refused_naming_the_field(client, service, activity):
    path = "/" + link(service, register(service, activity, "Ada One"), activity)
    token = csrf(client.get(path).get_data(as_text=True))
    refused = client.post(f"{path}/access-needs", data={"csrf_token": token, "access_needs": "x" * 2001})
    assert refused.status_code == 422 and "Access needs must be 2,000 characters or fewer" in refused.get_data(as_text=True)
    unsigned = client.post(f"{path}/access-needs", data={"access_needs": "A hearing loop"})
    assert unsigned.status_code == 400
    assert confirmed_people(client, activity)[0]["access_needs"] == ""


def test_cancelling_asks_first_and_then_gives_the_place_to_the_first_waiting(client, service, activity):
    ada = register(service, activity, "Ada One")
    register(service, activity, "Bo Two")
    path = "/" + link(service, ada, activity)
    confirm = client.get(f"{path}/cancel")
    assert confirm.status_code == 200 and "Yes, cancel my booking" in confirm.get_data(as_text=True)
    assert [p["name"] for p in confirmed_people(client, activity)] == ["Ada One"]
    done = client.post(f"{path}/cancel", data={"csrf_token": csrf(confirm.get_data(as_text=True))})
    assert done.status_code == 303
    assert [p["name"] for p in confirmed_people(client, activity)] == ["Bo Two"]
    after = client.get(path).get_data(as_text=True)
    assert "Cancelled" in after and "Cancel my booking" not in after
    again = client.post(f"{path}/cancel", data={"csrf_token": csrf(confirm.get_data(as_text=True))})
    assert again.status_code == 409


def test_a_link_we_did_not_sign_or_used_after_the_activity_is_a_404(client, service, activity, moment):
    path = "/" + link(service, register(service, activity, "Ada One"), activity)
    assert client.get(path[:-2] + ("AA" if not path.endswith("AA") else "BB")).status_code == 404
    assert client.get("/bookings/not-a-token").status_code == 404
    other_key = load("registration", {"SECRET_KEY": "another-secret-of-enough-length-0123456789abcdef"})
    assert client.get("/" + manage_links(other_key).url(str(uuid.uuid4()), activity).split("/", 3)[3]).status_code == 404
    moment[0] = STARTS + timedelta(hours=2)
    expired = client.get(path)
    assert expired.status_code == 404 and "Ada" not in expired.get_data(as_text=True)
