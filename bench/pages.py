"""pages: the list page `/` and an activity's page over HTTP, 32 concurrent clients, each request a
new visitor (no cookie), against a trivial page of the bare Flask app. The pages are measured as
served, with the micro-cache of shared/page_cache.py at its default; the same pages with the cache
off (PAGE_CACHE_SECONDS=0) are printed beside them.

All the servers run at once and the pages take turns, a quarter of the count each turn, after a
warm-up of each: a run of 2,000 lasts about a second, and on a machine shared with other work a
baseline measured alone, before or after, can meet a quieter or a busier second than the pages."""
from contextlib import ExitStack

from bench import load
from bench.common import COUNT, Compared
from bench.sites import bare_site, registration_site

CLIENTS, TOTAL, LIMIT, TURNS = 32, COUNT, 120.0, 4
WARM_UP = CLIENTS * 8
UNCACHED = {"PAGE_CACHE_SECONDS": "0"}


def measure() -> list:
    with ExitStack() as servers:
        url, activity_ids = servers.enter_context(registration_site(6))  # six, as the demo week has
        off, off_ids = servers.enter_context(registration_site(6, settings=UNCACHED))
        bare = servers.enter_context(bare_site())
        rates = _in_turns({"list": f"{url}/", "activity": f"{url}/activities/{activity_ids[0]}",
                           "list off": f"{off}/", "activity off": f"{off}/activities/{off_ids[0]}",
                           "bare": f"{bare}/page"})
    return [Compared(name + " page", "requests/s", rates[name], rates["bare"], "bare Flask, trivial page", goal=0.5,
                     extra={"cache off": round(rates[name + " off"], 1)}) for name in ("list", "activity")]


def _in_turns(urls: dict[str, str]) -> dict[str, float]:
    """Each URL's requests answered 200 a second, over TURNS turns taken in turn."""
    for url in urls.values():
        _run(url, WARM_UP)
    answered, seconds = dict.fromkeys(urls, 0), dict.fromkeys(urls, 0.0)
    for _ in range(TURNS):
        for name, url in urls.items():
            ok, took = _run(url, TOTAL // TURNS)
            answered[name], seconds[name] = answered[name] + ok, seconds[name] + took
    return {name: answered[name] / seconds[name] for name in urls}


def _run(url: str, count: int) -> tuple[int, float]:
    answers, seconds = load.closed_loop(CLIENTS, count, lambda session, _i: load.get(session, url), LIMIT)
    return sum(1 for answer in answers.values() if answer.status == 200), seconds
