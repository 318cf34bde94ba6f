"""Public lists a page at a time, as a blog pages them: 20 to a page, newest first, the page number
in the address (`?page=2`, beside any filters) and links to the newer and older pages. A page is
read as one more than it shows (LIMIT 21 at its OFFSET), so that knowing whether older ones follow
costs nothing; no list is counted. Past the last page is a 404, as on a blog; an empty first page is
the list saying that nothing matches."""
from dataclasses import dataclass

from flask import abort, request

PAGE_SIZE = 20
MAX_PAGE = 10_000


@dataclass(frozen=True)
class Page:
    number: int
    items: list
    older: bool  # another page follows

    @property
    def newer(self) -> bool:
        return self.number > 1

    @property
    def start(self) -> int:
        """The position in the whole list of this page's first item, from 1."""
        return (self.number - 1) * PAGE_SIZE + 1


def page_number() -> int:
    """The page asked for in the address; anything but a whole number from 1 is a 400 naming it."""
    page = request.args.get("page", "1")
    if not page.isdecimal() or not 1 <= int(page) <= MAX_PAGE:
        abort(400, f"page: a whole number from 1 to {MAX_PAGE:,}.")
    return int(page)


def page_of(read, what: str) -> Page:
    """read(limit, offset) -> items; what: the list's name in the 404 past its end ("posts")."""
    number = page_number()
    found = read(PAGE_SIZE + 1, (number - 1) * PAGE_SIZE)
    if number > 1 and not found:
        abort(404, f"There is no page {number} of {what}: the list ends before it.")
    return Page(number, found[:PAGE_SIZE], len(found) > PAGE_SIZE)
