"""attendees: an organiser's attendee list of 200 read through the admin API (GET …/bookings, two
pages of 100: the list is read from the registrations read table and each person's details unsealed) by
32 concurrent clients, against the bare Flask app answering a bare SELECT of 200 rows as JSON."""
import json
import time

import requests

from shared.settings import DEVELOPMENT_SECRET

from bench import load
from bench.common import COUNT, Compared
from bench.register import register
from bench.sites import bare_site, registration_site

CLIENTS, TOTAL, LIMIT, ATTENDEES, PAGE = 32, COUNT, 120.0, 200, 100
ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}  # the development admin token the bench's site runs with


def measure() -> list:
    with registration_site(1, prepare=_attendees) as (url, [activity_id]):
        pages = [f"{url}/api/activities/{activity_id}/bookings?page_size={PAGE}&page={page}"
                 for page in range(1, ATTENDEES // PAGE + 1)]
        _check(pages)
        ours, ours_seconds = load.closed_loop(CLIENTS, TOTAL, _reading(pages, ADMIN), LIMIT)
    with bare_site(rows=ATTENDEES) as url:
        bare, bare_seconds = load.closed_loop(CLIENTS, TOTAL, _reading([f"{url}/rows"], None), LIMIT)
    return [Compared("attendee list of 200 (API)", "lists/s", _read(ours) / ours_seconds, _read(bare) / bare_seconds,
                     "bare Flask, SELECT of 200 rows", extra={
                         "p50 ms": _ms(ours, 0.5), "p99 ms": _ms(ours, 0.99), "baseline p50 ms": _ms(bare, 0.5),
                         "baseline p99 ms": _ms(bare, 0.99), "failed": len(ours) - _read(ours)})]


def _attendees(service, activity_ids: list[str]) -> None:
    register(service, activity_ids[0], ATTENDEES, "attendee")()


def _check(pages: list[str]) -> None:
    """The list holds the 200 before it is timed: a wrong token or an empty list would measure nothing."""
    first = requests.get(pages[0], headers=ADMIN, timeout=30)
    first.raise_for_status()
    assert json.loads(first.headers["X-Pagination"])["total"] == ATTENDEES and len(first.json()) == PAGE


def _reading(pages: list[str], headers: dict | None):
    """One job: the whole list, page after page, as one answer (its status the worst of them)."""
    async def job(session, _index):
        answers = [await load.get(session, page, headers) for page in pages]
        worst = next((answer.status for answer in answers if answer.status != 200), 200)
        return load.Answer(worst, sum(answer.seconds for answer in answers), time.time())
    return job


def _read(answers: dict) -> int:
    return sum(1 for answer in answers.values() if answer.status == 200)


def _ms(answers, fraction: float) -> float:
    return load.latency_ms(answers, fraction, 200)
