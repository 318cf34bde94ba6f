"""pages: the list page `/` and an activity's page over HTTP, 32 concurrent clients, against a
trivial page of the bare Flask app."""
from bench import load
from bench.common import COUNT, Compared
from bench.sites import bare_site, registration_site

CLIENTS, TOTAL, LIMIT = 32, COUNT, 120.0


def measure() -> list:
    with registration_site(6) as (url, activity_ids):  # six, as the demo week has
        index = _rate(f"{url}/")
        activity = _rate(f"{url}/activities/{activity_ids[0]}")
    with bare_site() as url:
        bare = _rate(f"{url}/page")
    return [Compared("list page", "requests/s", index, bare, "bare Flask, trivial page", goal=0.5),
            Compared("activity page", "requests/s", activity, bare, "bare Flask, trivial page", goal=0.5)]


def _rate(url: str) -> float:
    answers, seconds = load.closed_loop(CLIENTS, TOTAL, lambda session, _i: load.get(session, url), LIMIT)
    return sum(1 for answer in answers.values() if answer.status == 200) / seconds
