"""The unsubscribe page: a confirm button on GET (a link scanner unsubscribes nobody), one-click by
POST (RFC 8058: no cookie, no CSRF token, 200 and no redirect), only the announcement list changed,
and a link we did not sign a clear 404, never a 500."""
import uuid

import pytest

from shared.settings import SettingsError, load

from notifications.app import create_app
from notifications.bootstrap import bootstrap
from notifications.unsubscribe_links import UnsubscribeLinks, unsubscribe_links
from tests.support.consuming import deliver
from tests.support.messages import make_consent_message, make_section_published_message

ADA = str(uuid.uuid4())


@pytest.fixture
def client(service):
    return create_app(service).test_client()


@pytest.fixture
def path(service):
    deliver(service, make_consent_message(ADA))
    return "/unsubscribe/" + unsubscribe_links(service.runtime.settings).url(ADA).rpartition("/")[2]


def announced(service, delivery) -> int:
    deliver(service, make_section_published_message(revision=announced.revision))
    announced.revision += 1
    service.mailer.send_due()
    count, delivery.sent[:] = len(delivery.sent), []
    return count


announced.revision = 1


def test_the_page_asks_first_and_a_get_changes_nothing(client, service, delivery, path):
    page = client.get(path)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Yes, stop these emails" in html and f'action="{path}"' in html and "<script>" not in html
    assert announced(service, delivery) == 1


def test_the_button_unsubscribes(client, service, delivery, path):
    response = client.post(path)
    assert response.status_code == 200 and "You are unsubscribed" in response.get_data(as_text=True)
    assert announced(service, delivery) == 0


def test_a_mail_programs_one_click_post_unsubscribes_with_200_and_no_cookie(client, service, delivery, path):
    response = client.post(path, data="List-Unsubscribe=One-Click",
                           content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200  # twice is once
    assert announced(service, delivery) == 0


def test_unsubscribing_leaves_booking_mail_alone(client, service, delivery, path, deliver, confirmed_message):
    client.post(path)
    deliver(confirmed_message())
    service.mailer.send_due()
    assert len(delivery.sent) == 1


@pytest.mark.parametrize("token", ["x", "not.a.token", "é" * 50, "a" * 5000, "%00", "a.b.c", "W10.abc",
                                   UnsubscribeLinks("another secret", "http://x").url(ADA).rpartition("/")[2]])
def test_a_link_we_did_not_sign_is_a_clear_404(client, service, delivery, path, token):
    for method in (client.get, client.post):
        response = method(f"/unsubscribe/{token}")
        assert response.status_code == 404, token
        assert "not one we sent" in response.get_data(as_text=True)
    tampered = path[:-2] + ("AA" if not path.endswith("AA") else "BB")
    assert client.post(tampered).status_code == 404
    assert announced(service, delivery) == 1


@pytest.mark.parametrize("url", ["https://example.org/?from=mail", "https://example.org/a b", "https://exa_mple.org"])
def test_a_public_address_no_unsubscribe_header_could_carry_stops_the_service_naming_it(tmp_path, url):
    with pytest.raises(SettingsError, match="NOTIFICATIONS_PUBLIC_URL"):
        bootstrap(load("notifications", {"VAR_DIR": str(tmp_path), "NOTIFICATIONS_PUBLIC_URL": url}))
