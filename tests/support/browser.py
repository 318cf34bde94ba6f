"""A real browser for the end-to-end tests: Debian's Chromium driven by Playwright (never
`playwright install`), and axe-core on every page, where a violation of any impact fails."""
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

from tests.conftest import unavailable

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture
def page(tmp_path):
    if not CHROMIUM.exists():
        unavailable(f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
            context.set_default_timeout(15_000)
            yield context.new_page()
        finally:
            browser.close()


class Accessibility:
    """Runs axe on each page and keeps what it found, so that one test reports every page."""

    def __init__(self):
        self.axe, self.blocking = Axe(), []  # every violation blocks, whatever its impact

    def check(self, page, label: str) -> None:
        violations = self.axe.run(page).response["violations"]
        print(f"\naxe: {label} ({page.url}): {len(violations)} violation(s)")
        for violation in violations:
            targets = [", ".join(map(str, node["target"])) for node in violation["nodes"]]
            print(f"  [{violation['impact']}] {violation['id']}: {violation['help']} "
                  f"({len(targets)} node(s): {'; '.join(targets)})")
            self.blocking.append(f"{label}: [{violation['impact']}] {violation['id']} {violation['help']} at {targets}")


def tab_to(page, locator, presses: int = 80) -> None:
    """Move the focus with the Tab key alone until it reaches the element (as a keyboard user would)."""
    target = locator.element_handle()
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("element => document.activeElement === element", target):
            return
    raise AssertionError(f"Tab never reached {locator}")


def links_by_depth(locator) -> list[tuple[int, str]]:
    """Each link inside the element as assistive technology is given it (Chromium's accessibility
    tree), with the number of lists it is nested in: (1, "Section"), (2, "Its sub-section")."""
    lists, found = [], []  # the indentation of each list the current line is inside
    for line in locator.aria_snapshot().splitlines():
        indent, item = len(line) - len(line.lstrip()), line.strip()
        lists = [outer for outer in lists if outer < indent]
        if re.match(r"- list\b", item):
            lists.append(indent)
        elif link := re.match(r'- link "(.*?)"', item):
            found.append((len(lists), link.group(1)))
    return found
