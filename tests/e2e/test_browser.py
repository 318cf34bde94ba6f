"""A person registers for an activity in a real browser, against `make run`'s embedded mode.

Drives Debian's Chromium (/usr/bin/chromium) with Playwright; never `playwright install`. Every
page visited is checked with axe-core: a violation of any impact fails the test, and every one
found is printed for the record. Screenshots go to the test's tmp dir.
"""
import re
from email import policy
from email.parser import BytesParser
from email.utils import getaddresses
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect

from registration.manage_links import ManageLinks
from shared.settings import DEVELOPMENT_SECRET

from tests.support.browser import Accessibility, tab_to
from tests.support.launched import launched_system
from tests.support.waiting import wait_until

pytestmark = pytest.mark.real_server

NAME, BAD_EMAIL, EMAIL = "Rowan Reader", "rowan.reader-at-example.org", "reader@example.org"


@pytest.fixture
def system(tmp_path):
    with launched_system(tmp_path) as running:
        yield running


def submit(page) -> None:
    page.get_by_role("button", name="Register").click()


def confirmation_mails(mail_dir: Path, address: str) -> list:
    mails = []
    for path in sorted(mail_dir.glob("*.eml")):
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        if address in {found for _, found in getaddresses([str(message["To"] or "")])}:
            mails.append(message)
    return mails


def test_a_person_registers_for_an_activity_in_a_browser(system, page, tmp_path):
    registration, content = system.urls["registration"], system.urls["content"]
    axe = Accessibility()

    # The index lists the open activities; the first one leads to its page and form.
    page.goto(f"{registration}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Co-production Week activities")
    axe.check(page, "registration index")
    first = page.locator("a[href^='/activities/']").first
    title = first.inner_text().strip()
    first.click()
    expect(page).to_have_url(re.compile(re.escape(registration) + r"/activities/[0-9a-f-]{36}$"))
    activity_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    axe.check(page, "activity page")

    # Sent empty: a summary of the problems, linked to the fields, and a message beside each.
    submit(page)
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()  # read out first; each field one Tab away
    expect(summary.locator("a[href='#name']")).to_have_text("Enter your name")
    expect(summary.locator("a[href='#email']")).to_have_text("Enter your email address")
    expect(page.locator("#name-error")).to_contain_text("Enter your name")
    expect(page.locator("#email-error")).to_contain_text("Enter your email address")
    expect(page.locator("#name")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#name")).to_have_attribute("aria-describedby", re.compile(r"\bname-error\b"))
    expect(page.locator("#email")).to_have_attribute("aria-describedby", re.compile(r"\bemail-error\b"))
    expect(page).to_have_title(re.compile(r"^Error: "))
    axe.check(page, "activity page with errors")
    page.screenshot(path=tmp_path / "activity-with-errors.png", full_page=True)
    summary.locator("a[href='#email']").click()
    expect(page.get_by_label("Email address")).to_be_focused()

    # A name and a wrong address: the name is kept and only the address is in error.
    page.get_by_label("Your name").fill(NAME)
    page.get_by_label("Email address").fill(BAD_EMAIL)
    submit(page)
    expect(page.locator("#email-error")).to_contain_text("Enter an email address in the correct format")
    expect(page.locator(".error-summary a[href='#email']")).to_be_visible()
    expect(page.locator(".error-summary a[href='#name']")).to_have_count(0)
    expect(page.locator("#name-error")).to_have_count(0)
    expect(page.get_by_label("Your name")).to_have_value(NAME)
    expect(page.get_by_label("Email address")).to_have_value(BAD_EMAIL)

    # Put right: registered, and the confirmation arrives by mail (exactly once).
    page.get_by_label("Email address").fill(EMAIL)
    submit(page)
    expect(page).to_have_url(f"{activity_url}/registered")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.locator("main")).to_contain_text(title)
    axe.check(page, "confirmation")
    page.screenshot(path=tmp_path / "confirmation.png", full_page=True)

    mails = wait_until(lambda: confirmation_mails(system.mail_dir, EMAIL), timeout=60,
                       what=f"a confirmation mail to {EMAIL} in {system.mail_dir}")
    assert len(mails) == 1, f"expected one confirmation to {EMAIL}, found {len(mails)}"
    assert title in mails[0]["Subject"], f"the subject {mails[0]['Subject']!r} does not name {title!r}"

    # The content service: its start page, the programme listing the activity, the guide.
    page.goto(f"{content}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Co-production Week Scotland")
    axe.check(page, "content index")

    activity_link = page.get_by_role("link", name=title, exact=True)

    def programme_lists_the_activity() -> bool:
        page.goto(f"{content}/programme")
        return activity_link.count() == 1
    wait_until(programme_lists_the_activity, timeout=30, what=f"the programme to list {title!r}", interval=0.5)
    expect(activity_link).to_have_attribute("href", activity_url)
    axe.check(page, "programme")

    page.goto(f"{content}/guide")
    expect(page.get_by_role("heading", level=1)).to_have_text("The Co-production Guide")
    contents = page.get_by_role("navigation", name="Contents").get_by_role("link")
    expect(contents.first).to_be_visible()
    assert contents.count() >= 1
    for link in contents.all():
        slug = link.get_attribute("href")
        assert slug.startswith("#"), f"a contents link points at {slug!r}, not a section of the page"
        section = page.locator(f"section{slug}")  # a section's heading is h2, a sub-section's h3
        expect(section.get_by_role("heading").first).to_have_text(link.inner_text())
        expect(section.locator("p, li").first).to_be_visible()
    axe.check(page, "guide")

    assert not axe.blocking, "serious or critical accessibility violations:\n" + "\n".join(axe.blocking)


def test_a_person_manages_their_booking_with_the_keyboard_alone(system, page, tmp_path):
    """From the signed link: the booking, a change of access needs, and a cancellation after a
    confirm step; every page with no axe violation at all, of any impact."""
    registration = system.urls["registration"]
    page.goto(f"{registration}/")
    page.locator("a[href^='/activities/']").first.click()
    activity_id = page.url.rsplit("/", 1)[1]
    page.get_by_label("Your name").fill(NAME)
    page.get_by_label("Email address").fill(EMAIL)
    submit(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    admin = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}
    booked = wait_until(lambda: [b for status in ("confirmed", "waitlisted") for b in requests.get(
        f"{registration}/api/activities/{activity_id}/bookings", params={"status": status}, headers=admin,
        timeout=5).json() if b["person"]["email"] == EMAIL], what="the booking in the organiser's list")
    page.goto(ManageLinks(DEVELOPMENT_SECRET, registration).url(booked[0]["registration_id"], activity_id))

    axe = Accessibility().axe
    found = {}
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your booking")
    found["booking"] = axe.run(page).response["violations"]
    tab_to(page, page.get_by_label("Hearing loop", exact=True))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Anything else we should know"))
    page.keyboard.type("Seats near the front, please")
    tab_to(page, page.get_by_role("button", name="Save my access needs"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Your access needs are saved")
    expect(page.get_by_label("Hearing loop", exact=True)).to_be_checked()
    expect(page.get_by_label("Anything else we should know")).to_have_value("Seats near the front, please")
    found["saved"] = axe.run(page).response["violations"]
    tab_to(page, page.get_by_role("link", name="Cancel my booking"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Cancel your booking")
    found["confirm cancel"] = axe.run(page).response["violations"]
    tab_to(page, page.get_by_role("button", name="Yes, cancel my booking"))
    page.keyboard.press("Enter")
    expect(page.locator("dl.facts")).to_contain_text("Cancelled")
    found["cancelled"] = axe.run(page).response["violations"]
    page.screenshot(path=tmp_path / "booking-cancelled.png", full_page=True)
    assert {label: [v["id"] for v in violations] for label, violations in found.items()} == dict.fromkeys(found, [])


def test_a_person_filters_opens_and_registers_with_the_keyboard_alone(system, page, tmp_path):
    """The list's filters (in the URL, kept by the back button), an empty result, and the form's
    access needs and consents, by keyboard alone; every page with no axe violation of any impact."""
    registration = system.urls["registration"]
    axe = Accessibility()
    page.goto(f"{registration}/")
    tab_to(page, page.get_by_label("Housing", exact=True))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Step-free access", exact=True))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Show activities"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"[?&]theme=housing.*[&]access=step_free"))
    expect(page.get_by_role("heading", name="1 activity matches your filters")).to_be_visible()
    axe.check(page, "filtered list")
    filtered_url = page.url
    link = page.locator("a[href^='/activities/']")
    expect(link).to_have_count(1)
    title = link.inner_text().strip()
    tab_to(page, link)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("dl.facts")).to_contain_text("Step-free access")
    axe.check(page, "activity page with access provisions and the new form")
    expect(page.get_by_label("Tell me about future")).not_to_be_checked()

    tab_to(page, page.get_by_label("Your name"))
    page.keyboard.type(NAME)
    tab_to(page, page.get_by_label("Email address"))
    page.keyboard.type("keyboard@example.org")
    for choice in ("Quiet space", "Dietary needs", "I am bringing a carer or personal assistant"):
        tab_to(page, page.get_by_label(choice, exact=True))
        page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Register"))
    page.keyboard.press("Enter")
    expect(page.locator(".error-summary a[href='#dietary_needs']")).to_contain_text("Tell us your dietary needs")
    expect(page.get_by_label("Quiet space", exact=True)).to_be_checked()
    axe.check(page, "form with an error in the dietary needs")
    tab_to(page, page.get_by_label("Dietary needs (optional)"))
    page.keyboard.type("Vegan")
    tab_to(page, page.get_by_label("Tell me about future"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Register"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    page.goto(filtered_url)
    page.goto(f"{registration}/?theme=arts-and-culture&format=online")
    expect(page.locator("main")).to_contain_text("No activities match these filters")
    axe.check(page, "empty result")
    page.go_back()
    expect(page.get_by_label("Housing", exact=True)).to_be_checked()  # the filters live in the URL
    expect(page.get_by_label("Step-free access", exact=True)).to_be_checked()
    page.go_forward()
    tab_to(page, page.get_by_role("link", name="clear the filters"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="All open activities")).to_be_visible()
    page.screenshot(path=tmp_path / "all-activities.png", full_page=True)

    admin = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}
    activity_id = requests.get(f"{registration}/api/activities", headers=admin, params={"page_size": 100},
                               timeout=5).json()
    activity_id = next(a["activity_id"] for a in activity_id if a["title"] == title)
    brief = wait_until(lambda: requests.get(f"{registration}/api/activities/{activity_id}/access-brief",
                                            headers=admin, timeout=5).json(), what="the access brief")
    assert {n["need"]: n["count"] for n in brief["access_needs"]}["quiet_space"] == 1
    assert brief["dietary_needs"] == [{"need": "Vegan", "count": 1}] and brief["with_carer"] == 1
    assert not axe.blocking, "accessibility violations:\n" + "\n".join(axe.blocking)
