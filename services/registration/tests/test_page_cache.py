"""The public pages' micro-cache (shared/page_cache.py): a kept page is served until its second is
up, each visitor's form carries a CSRF token of its own, errors are never kept, the cache stays
within its bound, and 0 switches it off. Time is the service's clock, moved by the test."""
import re
import uuid
from datetime import timedelta

import pytest
from flask_wtf.csrf import generate_csrf

from shared.page_cache import PageCache
from shared.settings import DEVELOPMENT_SECRET, SettingsError, load

from registration.bootstrap import bootstrap
from tests.support.clock import Clock
from tests.support.messages import NOW  # the clock of conftest's service, which open_activity's dates follow

ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def clock():
    return Clock(NOW)


@pytest.fixture
def service(tmp_path, clock):
    """Overrides conftest's service: the same, with a clock the test moves."""
    settings = load("registration", {"VAR_DIR": str(tmp_path), "BROKER_NAMESPACE": f"t{uuid.uuid4().hex[:8]}"})
    built = bootstrap(settings, clock=clock)
    yield built
    built.runtime.engine.dispose()


def cache_of(app) -> PageCache:
    return app.extensions["page_cache"]


def new_activity(client, service, title: str, opened: bool = True) -> str:
    starts = NOW + timedelta(days=17)
    body = {"organiser": "Test Network", "title": title, "summary": "About it.", "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=2)).isoformat(), "attendance": "online", "venue": "",
            "region": "Online", "capacity": 10, "open": opened}
    response = client.post("/api/activities", json=body, headers=ADMIN)
    assert response.status_code == 201, response.json
    service.runtime.projector(service.parts).catch_up()
    return response.json["activity_id"]


def token_of(response) -> str:
    return TOKEN.search(response.get_data(as_text=True)).group(1)


def test_a_kept_page_is_served_until_its_time_is_up(app, client, service, clock, open_activity):
    assert "Second activity" not in client.get("/").get_data(as_text=True)
    new_activity(client, service, "Second activity")
    assert "Second activity" not in client.get("/").get_data(as_text=True), "kept for its second"
    clock.move(seconds=1)
    assert "Second activity" in client.get("/").get_data(as_text=True)


def test_a_clock_moved_back_does_not_keep_a_page_longer(client, service, clock, open_activity):
    client.get("/")
    new_activity(client, service, "Second activity")
    clock.move(seconds=-5)
    assert "Second activity" in client.get("/").get_data(as_text=True)


def test_two_visitors_get_tokens_of_their_own_and_each_token_works_only_for_its_visitor(app, open_activity):
    first, second = app.test_client(), app.test_client()
    page = f"/activities/{open_activity}"
    first_token = token_of(first.get(page))
    second_page = second.get(page)
    assert len(cache_of(app)) == 1, "the second visitor was served the kept page"
    second_token = token_of(second_page)
    assert first_token != second_token and first_token not in second_page.get_data(as_text=True)
    form = {"name": "Ada Example", "email": "ada@example.org", "organisation": "", "access_needs": ""}
    assert second.post(page, data={**form, "csrf_token": first_token}).status_code == 400
    assert first.post(page, data={**form, "csrf_token": second_token}).status_code == 400
    assert first.post(page, data={**form, "csrf_token": first_token}).status_code == 303
    assert second.post(page, data={**form, "email": "bo@example.org", "csrf_token": second_token}).status_code == 303


def test_the_list_page_sets_no_cookie_kept_or_fresh(app, open_activity):
    answers = [app.test_client().get("/") for _ in range(2)]
    assert [answer.status_code for answer in answers] == [200, 200] and len(cache_of(app)) == 1
    assert all("Set-Cookie" not in answer.headers for answer in answers)


@pytest.mark.parametrize("path, status", [("/?day=someday", 400), ("/activities/not-a-uuid", 404),
                                          ("/activities/00000000-0000-0000-0000-000000000000", 404)])
def test_an_error_is_never_kept(app, client, path, status):
    assert [client.get(path).status_code for _ in range(2)] == [status, status]
    assert len(cache_of(app)) == 0


def test_a_draft_made_public_shows_at_once(app, client, service):
    activity_id = new_activity(client, service, "Not yet", opened=False)
    assert client.get(f"/activities/{activity_id}").status_code == 404
    assert client.post(f"/api/activities/{activity_id}/open", headers={**ADMIN, "If-Match": '"1"'}).status_code == 200
    service.runtime.projector(service.parts).catch_up()
    assert client.get(f"/activities/{activity_id}").status_code == 200


def test_the_cache_keeps_no_more_than_its_bound_dropping_the_least_recently_used(app, client, clock, open_activity):
    app.extensions["page_cache"] = PageCache(1, clock, entries=3)
    for word in ("a", "b", "c", "a", "d", "e"):
        assert client.get(f"/?q={word}").status_code == 200
    assert list(cache_of(app)._kept) == ["/?q=a", "/?q=d", "/?q=e"]


def test_zero_seconds_switches_it_off(app, client, service, clock, open_activity):
    app.extensions["page_cache"] = PageCache(0, clock)
    client.get("/")
    new_activity(client, service, "Second activity")
    assert "Second activity" in client.get("/").get_data(as_text=True) and len(cache_of(app)) == 0
    page = client.get(f"/activities/{open_activity}").get_data(as_text=True)
    assert cache_of(app).placeholder not in page and TOKEN.search(page)


@pytest.mark.parametrize("value, seconds", [("", 1.0), ("0", 0.0), ("2.5", 2.5), ("60", 60.0)])
def test_page_cache_seconds_is_read(value, seconds):
    assert load("registration", {"PAGE_CACHE_SECONDS": value}).page_cache_seconds == seconds


@pytest.mark.parametrize("value", ["soon", "-1", "61", "nan"])
def test_a_wrong_page_cache_seconds_is_named(value):
    with pytest.raises(SettingsError, match="PAGE_CACHE_SECONDS"):
        load("registration", {"PAGE_CACHE_SECONDS": value})


def test_a_token_made_while_rendering_is_never_kept(app, clock, open_activity):
    """Were the placeholder not in use (a template calling Flask-WTF's own function), the first
    visitor's token would be kept for everyone: the cache refuses such a page."""
    app.template_context_processors[None].append(lambda: {"csrf_token": generate_csrf})
    first, second = (token_of(app.test_client().get(f"/activities/{open_activity}")) for _ in range(2))
    assert len(cache_of(app)) == 0 and first != second


def test_a_kept_page_has_its_own_correlation_id_and_the_security_headers(app, open_activity):
    answers = [app.test_client().get(f"/activities/{open_activity}") for _ in range(2)]
    assert len(cache_of(app)) == 1
    assert answers[0].headers["X-Correlation-ID"] != answers[1].headers["X-Correlation-ID"]
    for answer in answers:
        assert answer.headers["X-Frame-Options"] == "DENY" and answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Referrer-Policy"] == "same-origin"
        assert answer.headers.getlist("Content-Security-Policy") == [
            "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'"]
        assert answer.headers["Content-Length"] == str(len(answer.get_data()))
