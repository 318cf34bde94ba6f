"""content-search: the issue's goal, "search and listing stay fast with 5,000 posts". Content on
PostgreSQL with 5,000 published posts (500 when quick) against the same app and database holding 50:
the posts list's first and last pages, the first page of a tag in one post in two (a full page at
either size) and of a tag in one post in twenty, and /search for a word in one post in fifty and
for a word in every post. Lists and results come 20 to a page. Rates are requests answered per
second by one client in process (no HTTP server in the way); ratio = rate with many posts / rate
with 50 (1 means the size costs nothing). The tables are analysed after each filling, as
PostgreSQL's autovacuum does on a running site within a minute of such growth."""
import random
import tempfile

from sqlalchemy import text

from shared.actors import Actor
from shared.settings import load

from content.app import create_app
from content.bootstrap import bootstrap
from content.domain.commands import WriteArticle
from content.web.paging import PAGE_SIZE

from bench.common import Compared, Database, percentile, sized, timed

POSTS, FEW, ASKED = sized(5_000, 500), 50, sized(300, 50)
WORDS = ("tenants", "repairs", "nurses", "wards", "pupils", "libraries", "planning", "budgets", "carers", "artists")
WRITER = Actor.system("bench")


def questions(posts: int) -> list[tuple[str, str]]:
    """What a reader asks of a site holding that many posts (the last page moves as it grows)."""
    return [("posts list", "/posts"), ("posts, last page", f"/posts?page={_pages(posts)}"),
            ("posts by common tag", "/posts?tag=half-1"), ("posts by tag", "/posts?tag=tag-3"),
            ("search, rare word", "/search?q=rareword7"), ("search, common word", "/search?q=tenants")]


def _pages(count: int) -> int:
    return max(1, -(-count // PAGE_SIZE))


def measure() -> list:
    with Database("bench_content") as db:
        service = bootstrap(load("content", {"VAR_DIR": tempfile.mkdtemp(), "CONTENT_DATABASE_URL": db.url}))
        try:
            client = create_app(service).test_client()
            _fill(service, range(FEW))
            few = [_rate(client, path) for _name, path in questions(FEW)]
            _fill(service, range(FEW, POSTS))
            many = [_rate(client, path) for _name, path in questions(POSTS)]
            return [_compared(name, *rates) for (name, _path), rates in zip(questions(POSTS), zip(many, few))]
        finally:
            service.runtime.engine.dispose()


def _fill(service, numbers: range) -> None:
    chosen = random.Random(numbers.start)
    for n in numbers:
        rare = f"rareword{n % 50}"  # each in one post in fifty
        body = " ".join(chosen.choice(WORDS) for _ in range(120)) + f" {rare} co-production"
        service.handle(WriteArticle(actor=WRITER, kind="post", slug=f"post-{n}", title=f"Post {n} about {rare}",
                                    summary="A post of the bench.", body=body, author="Bench",
                                    tags=[f"tag-{n % 20}", f"half-{n % 2}"], based_on=0, publish=True))
    service.runtime.projector(service.parts).catch_up()
    with service.runtime.engine.begin() as db:
        db.execute(text("ANALYZE"))


def _rate(client, path: str) -> tuple[float, list[float]]:
    latencies = [timed(lambda: _ok(client.get(path), path)) for _ in range(ASKED)]
    return len(latencies) / sum(latencies), latencies


def _compared(name: str, many: tuple, few: tuple) -> Compared:
    (rate, latencies), (few_rate, _) = many, few
    return Compared(name, "requests/s", rate, few_rate, f"the same with {FEW} posts", goal=0.5,
                    extra={"posts": POSTS, "p50 ms": round(percentile(latencies, 0.5) * 1000, 1),
                           "p99 ms": round(percentile(latencies, 0.99) * 1000, 1)})


def _ok(answer, path: str) -> None:
    if answer.status_code != 200:
        raise AssertionError(f"{path} answered {answer.status_code}")
