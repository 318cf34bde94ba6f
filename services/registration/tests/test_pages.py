"""The public form: a clear message beside each wrong field, and nothing recorded on bad input."""
import dataclasses
from collections import Counter

import pytest
from hypothesis import given, settings, strategies as st
from sqlalchemy import func, select

from shared.settings import Limit


def fact_count(service) -> int:
    with service.runtime.engine.connect() as db:
        return db.execute(select(func.count()).select_from(service.runtime.store.table)).scalar()


def test_the_index_lists_open_activities(client, open_activity):
    page = client.get("/").get_data(as_text=True)
    assert "Test activity" in page and f"/activities/{open_activity}" in page


def test_a_valid_registration_is_recorded_with_personal_data_sealed(client, post_form, service, open_activity):
    response = post_form(open_activity, name="Ada Example", email="ada@example.org",
                         access_needs="BSL interpreter")
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Check your email" in page and "sent the details of Test activity to the address you gave" in page
    with service.runtime.engine.connect() as db:
        raw = " ".join(row.data for row in db.execute(select(service.runtime.store.table)))
    for personal in ("Ada Example", "ada@example.org", "BSL interpreter"):
        assert personal not in raw, f"{personal!r} is in the log in the clear"


def confirmation(client, response) -> str:
    assert response.status_code == 303
    return client.get(response.headers["Location"]).get_data(as_text=True)


def test_the_page_tells_no_stranger_who_holds_a_place(app, client, post_form, service, open_activity):
    """New, waitlisted or already booked: one page, and nothing in the session that tells them apart."""
    pages = [confirmation(client, post_form(open_activity, email="holder@example.org")),  # the one place
             confirmation(client, post_form(open_activity, email="next@example.org")),  # the waitlist
             confirmation(client, post_form(open_activity, email="holder@example.org"))]  # a stranger tries it
    assert pages[0] == pages[1] == pages[2] and "Check your email" in pages[0]
    for word in ("registered", "confirmed", "waitlist", "full"):
        assert word not in pages[0].lower().replace("/registered", ""), word
    with client.session_transaction() as session:
        assert dict(session).keys() <= {"csrf_token", "sent_for"}, dict(session)


def test_registering_twice_keeps_one_place_and_records_what_was_sent_again(client, post_form, service, open_activity):
    post_form(open_activity)
    before = fact_count(service)
    response = post_form(open_activity, email=" ADA@example.org ", access_needs="Step-free access, please")
    assert response.status_code == 303 and fact_count(service) == before + 1
    with service.runtime.engine.connect() as db:
        last, = service.runtime.store.read_after(db, before)
    assert last.type == "RegistrationResubmitted" and "Step-free" not in last.data["personal"]


@pytest.mark.parametrize("fields, field, message", [
    ({"name": ""}, "name", "Enter your name"),
    ({"email": ""}, "email", "Enter your email address"),
    ({"email": "not-an-email"}, "email", "Enter an email address in the correct format"),
    ({"name": "Ada\r\nBcc: victim@example.org"}, "name", "Name must be on one line"),
    ({"email": "a@example.org\r\nBcc: victim@example.org"}, "email", "Enter an email address in the correct format"),
    ({"name": "x" * 201}, "name", "Name must be 200 characters or fewer"),
    ({"organisation": "Org\nInjected"}, "organisation", "Organisation must be on one line"),
    ({"email": "zoë@example.org"}, "email", "Enter an email address using only the letters a to z"),
    ({"access_needs": "nul\u0000"}, "access_needs", "Remove the special characters from your access needs"),
    ({"access_needs": "x" * 2001}, "access_needs", "Access needs must be 2,000 characters or fewer"),
])
def test_invalid_input_re_renders_the_form_with_a_message_beside_the_field(client, post_form, service, open_activity,
                                                                           fields, field, message):
    before = fact_count(service)
    response = post_form(open_activity, **fields)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'class="error-summary"' in page and f'href="#{field}"' in page
    assert f'id="{field}-error"' in page and message in page
    assert fact_count(service) == before, "nothing may be recorded from invalid input"


def test_markup_in_input_is_shown_as_text_never_run(client, post_form, open_activity):
    page = post_form(open_activity, name="<script>alert(1)</script>", email="bad").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_a_form_without_its_csrf_token_is_refused_and_nothing_recorded(client, service, open_activity):
    before = fact_count(service)
    response = client.post(f"/activities/{open_activity}", data={"name": "A", "email": "a@example.org"})
    assert response.status_code == 400 and "send the form again" in response.get_data(as_text=True).lower()
    assert fact_count(service) == before


def test_a_huge_body_is_refused_with_413(client, open_activity):
    response = client.post(f"/activities/{open_activity}", data={"name": "x" * 400_000})
    assert response.status_code == 413


@pytest.mark.parametrize("path", ["/activities/not-a-uuid", "/activities/00000000-0000-0000-0000-000000000000"])
def test_unknown_activities_are_a_friendly_404(client, path):
    response = client.get(path)
    assert response.status_code == 404 and "There is no such activity" in response.get_data(as_text=True)


def test_healthz_reports_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok", "service": "registration", "database": "ok", "broker": "ok",
                             "lag": {}, "set_aside": {}, "failing_projections": {}, "needs_attention": {}}


def test_healthz_is_503_naming_the_broker_when_it_cannot_be_reached(tmp_path):
    from registration.app import create_app
    from registration.bootstrap import bootstrap
    from shared.settings import load
    service = bootstrap(load("registration", {"VAR_DIR": str(tmp_path), "AMQP_URL": "amqp://guest:guest@127.0.0.1:1//"}))
    response = create_app(service).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.json["status"] == "degraded"
    assert response.json["broker"] == "unavailable: OperationalError", "a refused connection, not a bug in the check"
    assert response.json["database"] == "ok"


def test_no_input_to_the_form_is_a_server_error(app, open_activity, monkeypatch):
    app.config["WTF_CSRF_ENABLED"] = False  # the token is tested above; here, only the values
    unlimited = Limit(10_000, 60)  # the limits are tested in test_hostile_input.py; here, only the values
    runtime = app.extensions["registration"].runtime
    relaxed = dataclasses.replace(runtime.settings, submissions_per_client=unlimited,
                                  submissions_per_address=unlimited)
    monkeypatch.setattr(runtime, "settings", relaxed)
    client, answers = app.test_client(), Counter()

    @settings(max_examples=150, deadline=None)
    @given(values=st.fixed_dictionaries({
        "name": st.text(max_size=300), "email": st.one_of(st.emails(), st.text(max_size=300)),
        "organisation": st.text(max_size=300), "access_needs": st.text(max_size=2100),
        "needs": st.lists(st.one_of(st.sampled_from(["bsl_interpreter", "dietary", "quiet_space"]), st.text(max_size=20)),
                          max_size=4),
        "dietary_needs": st.text(max_size=600), "with_carer": st.sampled_from(["", "yes", "no", "on"]),
        "announcements": st.one_of(st.just("yes"), st.text(max_size=5))}))
    def post(values):
        response = client.post(f"/activities/{open_activity}", data=values)
        assert response.status_code in (303, 422), response.get_data(as_text=True)[:500]
        answers[response.status_code] += 1

    post()
    assert answers[303] and answers[422], f"the generated input must reach both answers: {answers}"


def test_a_session_signed_with_another_secret_key_is_not_believed(app, client, post_form, open_activity):
    """The signing of session cookies is made once per key (shared/web.py): a new key is a new one."""
    sent = post_form(open_activity)
    assert client.get(sent.headers["Location"]).status_code == 200
    app.secret_key = "another-secret-key-0123456789-abcdefghijklmnop"
    assert client.get(sent.headers["Location"]).status_code == 302, "the confirmation needs this visitor's session"
