"""form: registrations through the public form over HTTP (GET the activity page for the CSRF token
and cookie, POST, follow nothing) by 32 concurrent clients, each on an activity of its own, against
the bare Flask app doing the same GET and a POST that is one INSERT + commit."""
import uuid

from bench import load
from bench.common import COUNT, Compared
from bench.sites import bare_site, registration_site

CLIENTS, TOTAL, LIMIT = 32, COUNT, 120.0


def measure() -> list:
    with registration_site(CLIENTS) as (url, activity_ids):
        pages = [f"{url}/activities/{activity_id}" for activity_id in activity_ids]
        ours, ours_seconds = load.closed_loop(CLIENTS, TOTAL, _registering(pages), LIMIT)
    with bare_site() as url:
        bare, bare_seconds = load.closed_loop(CLIENTS, TOTAL, _registering([f"{url}/page"]), LIMIT)
    return [Compared("form", "registrations/s", _accepted(ours) / ours_seconds, _accepted(bare) / bare_seconds,
                     "bare Flask, INSERT + commit", goal=0.5,
                     extra={"p50 ms": _ms(ours, 0.5), "p99 ms": _ms(ours, 0.99),
                            "baseline p50 ms": _ms(bare, 0.5), "baseline p99 ms": _ms(bare, 0.99),
                            "refused": len(ours) - _accepted(ours)})]


def _registering(pages: list[str]):
    def job(session, index):
        return load.register(session, pages[index % len(pages)], "Bench Person",
                             f"form-{index}-{uuid.uuid4().hex[:6]}@example.org")
    return job


def _accepted(answers: dict) -> int:
    return sum(1 for answer in answers.values() if answer.status == 303)


def _ms(answers, fraction: float) -> float:
    return load.latency_ms(answers, fraction, 303)
