"""The unsubscribe page in a real browser: zero axe-core violations of any impact on the question
and the answer, no JavaScript needed, and the whole journey by keyboard alone. The app runs alone
here (SQLite, in-process broker)."""
import threading
import uuid

import pytest
from werkzeug.serving import make_server

from shared.settings import load

from notifications.app import create_app
from notifications.bootstrap import bootstrap
from notifications.domain.announcement_list import ANNOUNCEMENT_LIST, AnnouncementList
from notifications.unsubscribe_links import unsubscribe_links
from tests.support.browser import Accessibility
from tests.support.consuming import handle_directly
from tests.support.messages import make_consent_message

pytestmark = pytest.mark.real_server
PERSON = str(uuid.uuid4())


@pytest.fixture
def notifications(tmp_path):
    service = bootstrap(load("notifications", {"VAR_DIR": str(tmp_path)}), reminder_offsets=[])
    handle_directly(service, make_consent_message(PERSON))
    server = make_server("127.0.0.1", 0, create_app(service))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield service, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    service.runtime.engine.dispose()


def on_the_list(service) -> bool:
    with service.runtime.engine.connect() as db:
        return PERSON in service.runtime.repository(AnnouncementList).get(db, ANNOUNCEMENT_LIST).subscribers


def test_unsubscribing_by_keyboard_alone_with_no_script_and_no_accessibility_violations(notifications, page):
    service, url = notifications
    token = unsubscribe_links(service.runtime.settings).url(PERSON).rpartition("/")[2]
    axe, found = Accessibility().axe, []
    page.goto(f"{url}/unsubscribe/{token}")
    found += [f"question: [{v['impact']}] {v['id']}" for v in axe.run(page).response["violations"]]
    assert on_the_list(service)
    for _ in range(10):  # Tab to the button: skip link, brand, three navigation links, then the form
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Yes, stop these emails":
            break
    page.keyboard.press("Enter")
    page.wait_for_selector("text=You are unsubscribed")
    found += [f"answer: [{v['impact']}] {v['id']}" for v in axe.run(page).response["violations"]]
    page.goto(f"{url}/unsubscribe/not-a-link-we-sent")
    assert "not one we sent" in page.content()
    found += [f"bad link: [{v['impact']}] {v['id']}" for v in axe.run(page).response["violations"]]
    assert found == [], "accessibility violations:\n" + "\n".join(found)
    assert not on_the_list(service)
