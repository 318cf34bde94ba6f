"""Two content scheduler instances on one PostgreSQL database: every section scheduled for the same
moment is published exactly once (one SectionPublished per section), and the due work is emptied."""
import threading
from datetime import datetime, timedelta, timezone

import pytest

from shared.actors import Actor
from shared.scheduling import Scheduler
from shared.settings import load

from content.bootstrap import bootstrap
from content.domain.articles import article_stream
from content.domain.commands import SchedulePublication, WriteArticle, WriteSection

pytestmark = pytest.mark.real_server
SECTIONS = 40
T0 = datetime(2030, 6, 1, 8, tzinfo=timezone.utc)
EDITOR = Actor.system("test")


def _two_schedulers_run(services) -> None:
    schedulers = [Scheduler(s.runtime.engine, s.runtime.due_work, s.parts.jobs, s.runtime.clock) for s in services]
    threads = [threading.Thread(target=lambda s=s: [None for _ in iter(s.run_one, False)]) for s in schedulers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)


def test_two_schedulers_publish_each_scheduled_revision_exactly_once(postgres_url):
    now = [T0]
    settings = load("content", {"CONTENT_DATABASE_URL": postgres_url})
    first, second = (bootstrap(settings, clock=lambda: now[0]) for _ in range(2))
    for n in range(SECTIONS):
        first.handle(WriteSection(actor=EDITOR, slug=f"s{n}", title="T", body="Words", position=n + 1, based_on=0))
        first.handle(SchedulePublication(actor=EDITOR, slug=f"s{n}", revision=1, at=T0 + timedelta(hours=1)))
    now[0] = T0 + timedelta(hours=1)
    _two_schedulers_run((first, second))
    runtime = first.runtime
    with runtime.engine.connect() as db:
        published = [sum(f.type == "SectionPublished" for f in runtime.store.read_stream(db, f"guide-section-s{n}"))
                     for n in range(SECTIONS)]
        assert runtime.due_work.items(db) == []
    for service in (first, second):
        service.runtime.engine.dispose()
    assert published == [1] * SECTIONS


def test_two_schedulers_publish_each_scheduled_post_and_case_study_exactly_once(postgres_url):
    now = [T0]
    settings = load("content", {"CONTENT_DATABASE_URL": postgres_url})
    first, second = (bootstrap(settings, clock=lambda: now[0]) for _ in range(2))
    streams = []
    for n in range(SECTIONS):
        kind = "post" if n % 2 else "case_study"
        extra = {} if kind == "post" else {"organisation": "Fife Housing", "sector": "housing"}
        first.handle(WriteArticle(actor=EDITOR, kind=kind, slug=f"a{n}", title="T", summary="S", body="Words",
                                  author="A", tags=[], based_on=0, **extra))
        first.handle(SchedulePublication(actor=EDITOR, kind=kind, slug=f"a{n}", revision=1, at=T0 + timedelta(hours=1)))
        streams.append(article_stream(kind, f"a{n}"))
    now[0] = T0 + timedelta(hours=1)
    _two_schedulers_run((first, second))
    runtime = first.runtime
    with runtime.engine.connect() as db:
        published = [sum(f.type == "ArticlePublished" for f in runtime.store.read_stream(db, stream))
                     for stream in streams]
        assert runtime.due_work.items(db) == []
    for service in (first, second):
        service.runtime.engine.dispose()
    assert published == [1] * SECTIONS
