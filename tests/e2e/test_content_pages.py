"""Content's new pages in a real browser, checked with axe-core: the programme with a cancelled
activity and one whose registration closed, the guide's contents with a sub-section, and a guide
section's history, a published revision and what changed; lists and search results a page at a
time. Zero violations of any impact. The app runs alone here (SQLite, in-process broker)."""
import threading
import uuid
from datetime import datetime, timezone

import pytest
from werkzeug.serving import make_server

from shared.actors import Actor
from shared.contracts import envelope
from shared.contracts.registration import ACTIVITY_CANCELLED, ACTIVITY_OPENED, ACTIVITY_REGISTRATION_CLOSED
from shared.settings import load

from content.app import create_app
from content.bootstrap import bootstrap
from content.domain.commands import PublishRevision, WriteArticle, WriteSection
from tests.support.browser import Accessibility, links_by_depth, tab_to
from tests.support.consuming import handle_directly

pytestmark = pytest.mark.real_server
EDITOR = Actor.system("test")


def message(kind, **payload) -> dict:
    return envelope(kind, payload, "registration", message_id=str(uuid.uuid4()),
                    occurred_at=datetime.now(timezone.utc), correlation_id="c")


def opened(title: str) -> tuple[str, dict]:
    activity_id = str(uuid.uuid4())
    return activity_id, message(ACTIVITY_OPENED, activity_id=activity_id, title=title, summary="About it.",
                                organiser="Test Network", starts_at="2030-11-19T13:00:00+00:00",
                                ends_at="2030-11-19T15:00:00+00:00", attendance="hybrid", venue="Hall 1",
                                region="Highland", capacity=20)


def filled(service) -> None:
    closing, closing_opened = opened("Repairs walk-through")
    cancelled, cancelled_opened = opened("Tenants shaping repairs")
    handle_directly(service, closing_opened, cancelled_opened,
                    message(ACTIVITY_REGISTRATION_CLOSED, activity_id=closing),
                    message(ACTIVITY_CANCELLED, activity_id=cancelled, reason="The venue is flooded."))
    for based_on, body in enumerate(("Send the papers early.", "Send the papers a week early, *in plain words*.")):
        revision = service.handle(WriteSection(actor=EDITOR, slug="meetings", title="Meetings", body=body,
                                               position=1, based_on=based_on))
        service.handle(PublishRevision(actor=EDITOR, slug="meetings", revision=revision))
    service.handle(WriteSection(actor=EDITOR, slug="meetings-easy-read", title="Good meetings", position=1,
                                body="Send the papers early.\n\nOne week is good.", based_on=0,
                                easy_read_of="meetings", publish=True))
    service.handle(WriteSection(actor=EDITOR, slug="meetings-online", title="Meetings online", position=1,
                                body="Turn the captions on.", based_on=0, parent="meetings", publish=True))
    for n in range(25):  # older than the two below, and enough for two pages of posts
        service.handle(WriteArticle(actor=EDITOR, kind="post", slug=f"week-{n}", title=f"Week note {n}",
                                    summary="Notes.", body="Notes from the week.", author="Morag Bell",
                                    tags=["week-notes"], based_on=0, publish=True))
    for kind, slug, title, sector in [("post", "repairs", "Repairs together", None),
                                      ("case_study", "wards", "Wards we designed", "health-and-social-care")]:
        service.handle(WriteArticle(actor=EDITOR, kind=kind, slug=slug, title=title, summary="How it went.",
                                    body="Patients and staff *together*.\n\n## What we learnt\n\nListen first.",
                                    author="Morag Bell", tags=["together"], based_on=0, publish=True,
                                    **({"organisation": "NHS Fife", "sector": sector} if sector else {})))
    service.runtime.projector(service.parts).catch_up()


@pytest.fixture
def content_url(tmp_path):
    service = bootstrap(load("content", {"VAR_DIR": str(tmp_path)}))
    filled(service)
    server = make_server("127.0.0.1", 0, create_app(service))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    service.runtime.engine.dispose()


def test_the_new_content_pages_have_no_accessibility_violations(content_url, page):
    axe, found = Accessibility().axe, []
    for path, label, shows in [("/programme", "programme", "This activity is cancelled."),
                               ("/guide/meetings", "section", "History of this section"),
                               ("/guide/meetings/history", "history", "Revision 2: Meetings"),
                               ("/guide/meetings/revisions/1", "revision 1", "Send the papers early."),
                               ("/guide/meetings/changes?from=1&to=2", "what changed", "added:"),
                               ("/guide", "guide", "in Easy Read"),
                               ("/guide/meetings-online", "sub-section", 'aria-label="Breadcrumb"'),
                               ("/guide/meetings-easy-read", "easy read", "This is the Easy Read version."),
                               ("/posts", "posts", "Repairs together"),
                               ("/posts?tag=nothing", "no posts", "No posts match."),
                               ("/posts?page=2", "posts, page 2", "Newer posts"),
                               ("/posts?tag=week-notes&page=2", "a tag's posts, page 2", "Week note 0"),
                               ("/search?q=notes&page=2", "search results, page 2", "Results 21 to 25"),
                               ("/posts/repairs", "post", "By Morag Bell"),
                               ("/case-studies?sector=health-and-social-care", "case studies", "NHS Fife"),
                               ("/case-studies/wards", "case study", "Health and social care"),
                               ("/search", "search", "Search the Co-production Guide"),
                               ("/search?q=together", "search results", "<mark>"),
                               ("/search?q=zebra", "nothing found", "Nothing found")]:
        page.goto(content_url + path)
        assert shows in page.content(), label
        found += [f"{label}: [{v['impact']}] {v['id']} {v['help']}" for v in axe.run(page).response["violations"]]
    assert found == [], "accessibility violations:\n" + "\n".join(found)


def test_the_contents_nest_a_sub_section_and_lead_to_it_by_keyboard(content_url, page):
    """A screen reader is told the sub-section is a list inside its section's entry; Tab and Enter reach it."""
    page.goto(content_url + "/guide")
    contents = page.get_by_role("navigation", name="Contents")
    assert links_by_depth(contents) == [(1, "Meetings"), (2, "Meetings online")]
    tab_to(page, contents.get_by_role("link", name="Meetings online"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/guide#meetings-online")
    page.goto(content_url + "/guide/meetings-online")
    breadcrumb = page.get_by_role("navigation", name="Breadcrumb")
    tab_to(page, breadcrumb.get_by_role("link", name="Meetings", exact=True))
    page.keyboard.press("Enter")
    page.wait_for_url("**/guide/meetings")
    assert page.get_by_role("link", name="Meetings online").is_visible()


def test_lists_and_search_are_used_with_the_keyboard_alone(content_url, page):
    """Choose a sector and submit the filter, then search, with Tab, arrow keys and Enter only."""
    page.goto(content_url + "/case-studies")
    tab_to(page, page.get_by_label("Sector"))
    page.keyboard.press("ArrowDown")  # Chromium's closed select changes its value with the arrow keys
    tab_to(page, page.get_by_role("button", name="Show case studies"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/case-studies?*sector=health-and-social-care*")
    tab_to(page, page.get_by_role("link", name="Wards we designed"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/case-studies/wards")
    page.goto(content_url + "/search")  # the menu links the configured public address, not this test's server
    tab_to(page, page.get_by_label("Search the Co-production Guide, posts and case studies"))
    page.keyboard.type("patients")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=patients")
    assert page.locator("ol.results mark").first.inner_text().lower() == "patients"
    tab_to(page, page.get_by_role("link", name="Repairs together"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/posts/repairs")


def test_the_pages_of_a_list_are_turned_with_the_keyboard_alone(content_url, page):
    page.goto(content_url + "/posts")
    tab_to(page, page.get_by_role("link", name="Older posts"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/posts?page=2")
    assert page.get_by_role("link", name="Week note 0").is_visible()
    tab_to(page, page.get_by_role("link", name="Newer posts"))
    page.keyboard.press("Enter")
    page.wait_for_url("**/posts")
    assert page.get_by_role("link", name="Repairs together").is_visible()


def test_the_pages_reflow_at_400_percent_zoom(content_url, page):
    """WCAG 1.4.10: 1280 CSS pixels at 400 % is a 320-pixel-wide viewport; nothing may need scrolling
    sideways (a wide code block or table may scroll alone, inside its own box)."""
    page.set_viewport_size({"width": 320, "height": 256})
    wide = {}
    for path in ("/guide", "/guide/meetings", "/guide/meetings-online", "/guide/meetings-easy-read",
                 "/guide/meetings/changes?from=1&to=2",
                 "/posts", "/posts/repairs", "/case-studies?sector=health-and-social-care", "/case-studies/wards",
                 "/search?q=together", "/posts?page=2", "/search?q=notes&page=2"):
        page.goto(content_url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            wide[path] = overflow
    assert wide == {}, f"pages wider than the viewport (pixels over): {wide}"
