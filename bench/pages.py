"""pages: the list page `/` and an activity's page over HTTP, 32 concurrent clients, each request a
new visitor (no cookie), against a trivial page of the bare Flask app, each warmed up alike. The
pages are measured as served, with the micro-cache of shared/page_cache.py at its default; the same
pages with the cache off (PAGE_CACHE_SECONDS=0) are printed beside them."""
from bench import load
from bench.common import COUNT, Compared
from bench.sites import bare_site, registration_site

CLIENTS, TOTAL, LIMIT = 32, COUNT, 120.0
WARM_UP = CLIENTS * 8
UNCACHED = {"PAGE_CACHE_SECONDS": "0"}


def measure() -> list:
    index, activity = _pages()
    index_uncached, activity_uncached = _pages(UNCACHED)
    with bare_site() as url:
        bare = _rate(f"{url}/page")
    return [Compared("list page", "requests/s", index, bare, "bare Flask, trivial page", goal=0.5,
                     extra={"cache off": round(index_uncached, 1)}),
            Compared("activity page", "requests/s", activity, bare, "bare Flask, trivial page", goal=0.5,
                     extra={"cache off": round(activity_uncached, 1)})]


def _pages(settings: dict | None = None) -> tuple[float, float]:
    with registration_site(6, settings=settings) as (url, activity_ids):  # six, as the demo week has
        return _rate(f"{url}/"), _rate(f"{url}/activities/{activity_ids[0]}")


def _rate(url: str) -> float:
    """Requests answered 200 a second, after a few rounds unmeasured (each worker's first pages
    compile templates and open connections; a run of 2,000 lasts about a second)."""
    load.closed_loop(CLIENTS, WARM_UP, lambda session, _i: load.get(session, url), LIMIT)
    answers, seconds = load.closed_loop(CLIENTS, TOTAL, lambda session, _i: load.get(session, url), LIMIT)
    return sum(1 for answer in answers.values() if answer.status == 200) / seconds
