"""A revision published at a time set in advance (UK time in, UTC stored), by the shared scheduler
on the service's injected clock: not before, exactly once, and not at all once cancelled."""
from datetime import datetime, timedelta, timezone

import pytest

from shared.scheduling import Scheduler
from shared.settings import DEVELOPMENT_SECRET, load

from content.app import create_app
from content.bootstrap import bootstrap
from tests.support.clock import Clock

ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}
NOW = datetime(2030, 6, 1, 8, 0, tzinfo=timezone.utc)  # 09:00 in London (summer time)


@pytest.fixture
def clock():
    return Clock(NOW)


@pytest.fixture
def timed(tmp_path, clock):
    built = bootstrap(load("content", {"VAR_DIR": str(tmp_path)}), clock=clock)
    yield built, create_app(built).test_client()
    built.runtime.engine.dispose()


def scheduler(service) -> Scheduler:
    runtime = service.runtime
    return Scheduler(runtime.engine, runtime.due_work, service.parts.jobs, runtime.clock)


def drafted(client) -> None:
    assert client.post("/api/guide/sections/meetings/revisions", headers=ADMIN, json={
        "title": "Meetings", "body": "Send papers early.", "position": 1, "based_on": 0}).status_code == 201


def published_facts(service) -> int:
    with service.runtime.engine.connect() as db:
        return sum(1 for f in service.runtime.store.read_stream(db, "guide-section-meetings")
                   if f.type == "SectionPublished")


def test_a_revision_is_published_at_its_uk_time_exactly_once(timed, clock):
    service, client = timed
    drafted(client)
    scheduled = client.put("/api/guide/sections/meetings/schedule", headers=ADMIN,
                           json={"revision": 1, "publish_at": "2030-06-01T12:30:00"})
    assert scheduled.status_code == 200 and scheduled.json["publish_at"] == "2030-06-01T12:30:00+01:00"
    with service.runtime.engine.connect() as db:
        [item] = service.runtime.due_work.items(db)
    assert item.due_at == datetime(2030, 6, 1, 11, 30, tzinfo=timezone.utc)
    service.runtime.projector(service.parts).catch_up()
    shown = client.get("/api/guide/sections/meetings/schedule", headers=ADMIN)
    assert shown.status_code == 200 and shown.json == {"slug": "meetings", "revision": 1,
                                                       "publish_at": "2030-06-01T12:30:00+01:00"}
    first, second = scheduler(service), scheduler(service)
    clock.now = datetime(2030, 6, 1, 11, 29, tzinfo=timezone.utc)
    assert not first.run_one()
    clock.now = datetime(2030, 6, 1, 11, 30, tzinfo=timezone.utc)
    assert first.run_one() and not second.run_one() and not first.run_one()
    assert published_facts(service) == 1
    service.runtime.projector(service.parts).catch_up()
    assert client.get("/guide/meetings").status_code == 200
    assert client.get("/api/guide/sections/meetings/schedule", headers=ADMIN).status_code == 404


def test_a_schedule_can_be_moved_or_cancelled_until_it_fires(timed, clock):
    service, client = timed
    drafted(client)
    schedule = {"revision": 1, "publish_at": "2030-06-01T12:00:00"}
    assert client.put("/api/guide/sections/meetings/schedule", headers=ADMIN, json=schedule).status_code == 200
    moved = {**schedule, "publish_at": "2030-06-02T12:00:00"}
    assert client.put("/api/guide/sections/meetings/schedule", headers=ADMIN, json=moved).status_code == 200
    clock.now += timedelta(days=1, hours=2)  # 11:00 UK time the next day: past the first time, before the second
    assert not scheduler(service).run_one()
    assert client.delete("/api/guide/sections/meetings/schedule", headers=ADMIN).status_code == 204
    assert client.delete("/api/guide/sections/meetings/schedule", headers=ADMIN).status_code == 409
    service.runtime.projector(service.parts).catch_up()
    assert client.get("/api/guide/sections/meetings/schedule", headers=ADMIN).status_code == 404
    clock.now += timedelta(days=2)
    assert not scheduler(service).run_one() and published_facts(service) == 0


def test_a_time_in_the_past_or_not_a_time_is_refused_naming_the_field(timed):
    _, client = timed
    drafted(client)
    past = client.put("/api/guide/sections/meetings/schedule", headers=ADMIN,
                      json={"revision": 1, "publish_at": "2030-06-01T08:59:00"})
    assert past.status_code == 422 and "publish_at" in past.json["message"]
    garbled = client.put("/api/guide/sections/meetings/schedule", headers=ADMIN,
                         json={"revision": 1, "publish_at": "soon"})
    assert garbled.status_code == 422 and "publish_at" in garbled.json["errors"]["json"]
    unknown = client.put("/api/guide/sections/meetings/schedule", headers=ADMIN,
                         json={"revision": 4, "publish_at": "2030-06-02T08:59:00"})
    assert unknown.status_code == 404


@pytest.mark.parametrize("kind, extra", [("posts", {}),
                                         ("case-studies", {"organisation": "Fife Housing", "sector": "housing"})])
def test_a_post_or_case_study_is_published_at_its_uk_time_exactly_once(timed, clock, kind, extra):
    service, client = timed
    assert client.post(f"/api/{kind}/week-ahead/revisions", headers=ADMIN, json={
        "title": "Week ahead", "summary": "S.", "body": "B.", "author": "A", "based_on": 0, **extra}).status_code == 201
    scheduled = client.put(f"/api/{kind}/week-ahead/schedule", headers=ADMIN,
                           json={"revision": 1, "publish_at": "2030-06-01T12:30:00"})
    assert scheduled.status_code == 200 and scheduled.json["publish_at"] == "2030-06-01T12:30:00+01:00"
    service.runtime.projector(service.parts).catch_up()
    assert client.get(f"/api/{kind}/week-ahead/schedule", headers=ADMIN).json["revision"] == 1
    first, second = scheduler(service), scheduler(service)
    clock.now = datetime(2030, 6, 1, 11, 29, tzinfo=timezone.utc)
    assert not first.run_one()
    clock.now = datetime(2030, 6, 1, 11, 30, tzinfo=timezone.utc)
    assert first.run_one() and not second.run_one()
    service.runtime.projector(service.parts).catch_up()
    assert client.get(f"/{kind}/week-ahead").status_code == 200
    assert client.get(f"/api/{kind}/week-ahead/schedule", headers=ADMIN).status_code == 404
