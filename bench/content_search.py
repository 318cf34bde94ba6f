"""content-search: do listing and search stay fast as posts pile up? Content on PostgreSQL with 5,000
published posts (500 when quick) against the same app and database holding 50: the first page of
/posts, /posts filtered by a tag, /search for a word in one post in fifty and for a word in every
post. Rates are requests answered per second by one client in process (no HTTP server in the
way); ratio = rate with many posts / rate with 50 (1 means the size costs nothing)."""
import random
import tempfile

from shared.actors import Actor
from shared.settings import load

from content.app import create_app
from content.bootstrap import bootstrap
from content.domain.commands import WriteArticle

from bench.common import Compared, Database, percentile, sized, timed

POSTS, FEW, ASKED = sized(5_000, 500), 50, sized(300, 50)
WORDS = ("tenants", "repairs", "nurses", "wards", "pupils", "libraries", "planning", "budgets", "carers", "artists")
WRITER = Actor.system("bench")
QUESTIONS = [("posts list", "/posts"), ("posts by tag", "/posts?tag=tag-3"),
             ("search, rare word", "/search?q=rareword7"), ("search, common word", "/search?q=tenants")]


def measure() -> list:
    with Database("bench_content") as db:
        service = bootstrap(load("content", {"VAR_DIR": tempfile.mkdtemp(), "CONTENT_DATABASE_URL": db.url}))
        try:
            client = create_app(service).test_client()
            _fill(service, range(FEW))
            few = [_rate(client, path) for _name, path in QUESTIONS]
            _fill(service, range(FEW, POSTS))
            many = [_rate(client, path) for _name, path in QUESTIONS]
            return [_compared(name, *rates) for (name, _path), rates in zip(QUESTIONS, zip(many, few))]
        finally:
            service.runtime.engine.dispose()


def _fill(service, numbers: range) -> None:
    chosen = random.Random(numbers.start)
    for n in numbers:
        rare = f"rareword{n % 50}"  # each in one post in fifty
        body = " ".join(chosen.choice(WORDS) for _ in range(120)) + f" {rare} co-production"
        service.handle(WriteArticle(actor=WRITER, kind="post", slug=f"post-{n}", title=f"Post {n} about {rare}",
                                    summary="A post of the bench.", body=body, author="Bench",
                                    tags=[f"tag-{n % 20}"], based_on=0, publish=True))
    service.runtime.projector(service.parts).catch_up()


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
