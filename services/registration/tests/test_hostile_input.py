"""A hostile or careless member of the public against the form, and the same values against the
shared checks the admin API and the contracts use.

Every answer is a 4xx naming the field (or a 429), nothing is stored (no new fact, no person
key), and no page shows a stack trace. Limits, honeypot, cookies and hosts are here too.
"""
import re
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from shared.contracts.registration import RegistrationRecordedSchema
from shared.settings import DEVELOPMENT_SECRET, load

from registration.bootstrap import bootstrap
from tests.support.clock import Clock

ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}
NOW = datetime(2030, 11, 1, 9, tzinfo=timezone.utc)  # as in conftest.py, which open_activity's dates follow
RELAXED = {"SUBMISSIONS_PER_CLIENT": "1000/600", "SUBMISSIONS_PER_ADDRESS": "1000/3600"}
LINE_BREAKS = {"CR LF": "\r\n", "VT": "\x0b", "FF": "\x0c", "FS": "\x1c", "GS": "\x1d", "RS": "\x1e",
               "NEL": "\x85", "LS": "\u2028", "PS": "\u2029"}
C1_AND_BIDI = {"CSI": "\x9b", "APC": "\x9f", "LRE": "\u202a", "RLO": "\u202e", "LRI": "\u2066", "PDI": "\u2069"}
SINGLE_LINE = {**LINE_BREAKS, **C1_AND_BIDI}

CORPUS = (
    [(f"name {label}", "name", f"Ada{char}Bcc: victim@example.org", "Name must be on one line")
     for label, char in SINGLE_LINE.items()]
    + [(f"organisation {label}", "organisation", f"Org{char}X", "Organisation must be on one line")
       for label, char in SINGLE_LINE.items()]
    + [(f"access needs {label}", "access_needs", f"Step-free{char}access", "Remove the special characters")
       for label, char in C1_AND_BIDI.items()]
    + [("email localhost", "email", "root@localhost", "with a full domain name"),
       ("email IP literal", "email", "x@[127.0.0.1]", "with a full domain name"),
       ("email single label", "email", "ada@intranet", "Enter an email address"),
       ("email NEL", "email", "ada@example.org\x85Bcc: x@example.org", "Enter an email address"),
       ("email not ASCII", "email", "zoë@example.org", "using only the letters a to z")])


@pytest.fixture
def env():
    return RELAXED


@pytest.fixture
def clock():
    return Clock(NOW)


@pytest.fixture
def service(tmp_path, env, clock):
    """Overrides conftest's service: the same, with this module's limits and a clock it can move."""
    settings = load("registration", {"VAR_DIR": str(tmp_path), "BROKER_NAMESPACE": f"t{uuid.uuid4().hex[:8]}", **env})
    built = bootstrap(settings, clock=clock)
    yield built
    built.runtime.engine.dispose()


def recorded(service) -> tuple[int, int]:
    """(facts, person keys): both stay put when a submission is refused."""
    runtime = service.runtime
    with runtime.engine.connect() as db:
        return tuple(db.execute(select(func.count()).select_from(table)).scalar()
                     for table in (runtime.store.table, runtime.vault.keys))


def send(client, activity_id, headers=None, **fields):
    page = client.get(f"/activities/{activity_id}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    data = {"csrf_token": token, "name": "Ada Example", "email": "ada@example.org", **fields}
    return client.post(f"/activities/{activity_id}", data=data, headers=headers or {})


def assert_no_trace(response):
    page = response.get_data(as_text=True)
    assert "Traceback" not in page and 'File "' not in page and "Error:" not in response.headers.get("Retry-After", "")


# --- the corpus, through the form and through the shared checks ----------------------------------

@pytest.mark.parametrize("label, field, value, message", CORPUS, ids=[item[0] for item in CORPUS])
def test_the_form_refuses_each_hostile_value_naming_the_field(client, service, open_activity, label, field, value,
                                                              message):
    before = recorded(service)
    response = send(client, open_activity, **{field: value})
    page = response.get_data(as_text=True)
    assert response.status_code == 422, label
    assert f'href="#{field}"' in page and f'id="{field}-error"' in page and message in page
    assert recorded(service) == before, "nothing may be stored from a refused submission"
    assert_no_trace(response)


@pytest.mark.parametrize("label, char", SINGLE_LINE.items())
@pytest.mark.parametrize("field", ["title", "organiser", "venue", "region"])
def test_the_admin_api_refuses_them_in_every_single_line_field(client, service, label, char, field):
    starts = NOW + timedelta(days=17)
    body = {"organiser": "Net", "title": "Walk", "summary": "", "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(), "attendance": "in_person", "venue": "Hall",
            "region": "Fife", "capacity": 3, "open": True, field: f"Walk{char}Subject: x"}
    before = recorded(service)
    response = client.post("/api/activities", json=body, headers=ADMIN)
    assert response.status_code == 422 and field in response.json["errors"]["json"], label
    assert recorded(service) == before


@pytest.mark.parametrize("label, field, value, message", [item for item in CORPUS if item[1] in ("name", "email")],
                         ids=[item[0] for item in CORPUS if item[1] in ("name", "email")])
def test_the_contracts_refuse_them_too(label, field, value, message):
    payload = {"registration_id": str(uuid.uuid4()), "activity_id": str(uuid.uuid4()), "person_id": str(uuid.uuid4()),
               "name": "Ada", "email": "ada@example.org", field: value,
               "activity": {"title": "Walk", "starts_at": "2030-11-18T10:00:00+00:00",
                            "ends_at": "2030-11-18T12:00:00+00:00", "attendance": "online"}}
    assert field in RegistrationRecordedSchema().validate(payload), label


# --- limits ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("env", [{"SUBMISSIONS_PER_CLIENT": "3/600"}])
def test_a_client_over_its_limit_gets_429_with_retry_after_and_nothing_is_recorded(client, service, clock,
                                                                                   open_activity):
    answers = [send(client, open_activity, email=f"person{n}@example.org").status_code for n in range(3)]
    assert answers == [303, 303, 303]
    before = recorded(service)
    refused = send(client, open_activity, email="person4@example.org")
    assert refused.status_code == 429 and 0 < int(refused.headers["Retry-After"]) <= 600
    assert "sent many times from your connection" in refused.get_data(as_text=True)
    assert recorded(service) == before
    assert_no_trace(refused)
    clock.now += timedelta(seconds=600)  # the next window
    assert send(client, open_activity, email="person4@example.org").status_code == 303


@pytest.mark.parametrize("env", [{"SUBMISSIONS_PER_CLIENT": "3/600"}])
def test_invalid_submissions_count_against_the_client_too(client, open_activity):
    answers = [send(client, open_activity, email="bad").status_code for _ in range(4)]
    assert answers == [422, 422, 422, 429]


@pytest.mark.parametrize("env", [{"SUBMISSIONS_PER_CLIENT": "2/600"}])
def test_a_forged_x_forwarded_for_from_an_untrusted_peer_changes_nothing(client, service, open_activity):
    answers = [send(client, open_activity, email=f"p{n}@example.org",
                    headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(4)]
    assert answers == [303, 303, 429, 429]


@pytest.mark.parametrize("env", [{"SUBMISSIONS_PER_CLIENT": "2/600", "TRUSTED_PROXIES": "127.0.0.1"}])
def test_behind_a_trusted_proxy_the_client_is_the_address_it_forwarded(client, open_activity):
    """The same requests as above, through a proxy the configuration names: each client counts alone,
    and what a client writes before the proxy's own entry is not believed."""
    distinct = [send(client, open_activity, email=f"p{n}@example.org",
                     headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code for n in range(4)]
    assert distinct == [303, 303, 303, 303]
    forged = [send(client, open_activity, email=f"q{n}@example.org",
                   headers={"X-Forwarded-For": f"10.9.9.{n}, 198.51.100.7"}).status_code for n in range(3)]
    assert forged == [303, 303, 429]


@pytest.mark.parametrize("env", [{"SUBMISSIONS_PER_ADDRESS": "2/3600", "TRUSTED_PROXIES": "127.0.0.1"}])
def test_one_address_cannot_be_mail_bombed_from_many_clients(client, service, open_activity):
    spellings = ["victim@example.org", " VICTIM@example.org", "victim+1@Example.org", "victim+2@example.org"]
    answers = [send(client, open_activity, email=spelling, headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
               for n, spelling in enumerate(spellings)]
    assert answers == [303, 303, 429, 429]
    assert send(client, open_activity, email="someone.else@example.org",
                headers={"X-Forwarded-For": "203.0.113.99"}).status_code == 303


@pytest.mark.parametrize("env", [{"SUBMISSIONS_PER_ADDRESS": "1/3600"}])
def test_the_counters_hold_neither_the_address_nor_the_client(client, service, open_activity):
    send(client, open_activity, email="private.person@example.org")
    limits = client.application.extensions["limits"]
    with service.runtime.engine.connect() as db:
        keys = " ".join(db.execute(select(limits.table.c.key)).scalars())
    assert keys and "private" not in keys and "127.0.0.1" not in keys


@pytest.mark.parametrize("env", [{"SUBMISSIONS_PER_CLIENT": "2/600"}])
def test_two_apps_on_one_database_share_the_count(client, service, open_activity):
    """What a second gunicorn worker or instance is: another app on the same database."""
    from registration.app import create_app
    other = create_app(bootstrap(service.runtime.settings, clock=service.runtime.clock)).test_client()
    assert send(client, open_activity, email="a@example.org").status_code == 303
    assert send(other, open_activity, email="b@example.org").status_code == 303
    assert send(other, open_activity, email="c@example.org").status_code == 429
    assert send(client, open_activity, email="d@example.org").status_code == 429


# --- the honeypot ---------------------------------------------------------------------------------

def test_a_filled_honeypot_is_answered_like_success_and_records_nothing(client, service, open_activity):
    before = recorded(service)
    response = send(client, open_activity, homepage="http://spam.example")
    assert response.status_code == 303
    assert "Check your email" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert recorded(service) == before
    assert send(client, open_activity).status_code == 303 and recorded(service) != before


def test_the_honeypot_is_out_of_reach_of_people(client, open_activity):
    page = client.get(f"/activities/{open_activity}").get_data(as_text=True)
    trap = re.search(r'<div class="trap">(.*?)</div>', page, re.S).group(1)
    assert re.search(r'<input id="homepage" name="homepage" type="text" value="" tabindex="-1" autocomplete="off">',
                     trap)
    css = client.get("/assets/site.css").get_data(as_text=True)
    assert re.search(r"\.trap\s*{\s*display:\s*none", css), "display:none hides it from screen readers and Tab too"


# --- cookies, hosts -------------------------------------------------------------------------------

def test_the_session_cookie_is_http_only_and_same_site_lax(client, open_activity):
    cookie = client.get(f"/activities/{open_activity}").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie  # served over http here


@pytest.mark.parametrize("env", [{**RELAXED, "REGISTRATION_PUBLIC_URL": "https://register.example.org"}])
def test_the_session_cookie_is_secure_where_the_public_url_is_https(client, open_activity):
    cookie = client.get(f"/activities/{open_activity}", base_url="https://register.example.org").headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


@pytest.mark.parametrize("path", ["/", "/activities/{id}/registered", "/activities/{id}"])
def test_an_untrusted_host_gets_400_not_a_redirect_to_it(client, open_activity, path):
    response = client.get(path.format(id=open_activity), headers={"Host": "evil.example"})
    assert response.status_code == 400 and "Location" not in response.headers
    assert "evil.example" not in response.get_data(as_text=True)
    assert client.get(path.format(id=open_activity), headers={"Host": "127.0.0.1:8001"}).status_code in (200, 302)
