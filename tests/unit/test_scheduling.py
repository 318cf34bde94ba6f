"""Scheduled work with a clock the test moves: rules applied at append, due items run once."""
import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, select

from shared.database import create_tables, make_engine
from shared.eventstore import EventStore, NewFact
from shared.scheduling import DueWork, Job, Rule, Scheduler, Waker, at_once, cancel
from tests.support.clock import Clock

T0 = datetime(2030, 11, 1, 9, tzinfo=timezone.utc)


@pytest.fixture
def world(tmp_path):
    clock, metadata = Clock(T0), MetaData()
    engine = make_engine(f"sqlite:///{tmp_path / 'service.db'}")
    store = EventStore(metadata)
    due_work = DueWork(metadata, engine, clock)
    store.on_append.append(due_work.on_append)
    done = Table("reminders_sent", metadata, Column("id", Integer, primary_key=True), Column("key", String(50)))
    due_work.add_rules([
        Rule("ReminderAsked", "remind", lambda f: f.data["id"], lambda f, _now: datetime.fromisoformat(f.data["at"])),
        Rule("ReminderWithdrawn", "remind", lambda f: f.data["id"], cancel),
        Rule("PingAsked", "ping", lambda f: f.data["id"], at_once),
    ])
    create_tables(engine, metadata)

    def remind(db, key):
        db.execute(insert(done).values(key=key))

    scheduler = Scheduler(engine, due_work, [Job("remind", remind)], clock)
    yield engine, store, due_work, scheduler, clock, lambda: _sent(engine, done)
    engine.dispose()


def _sent(engine, table):
    with engine.connect() as db:
        return list(db.execute(select(table.c.key)).scalars())


def append(engine, store, stream, fact_type, **data):
    with engine.begin() as db:
        store.append(db, stream, store.stream_version(db, stream), [NewFact(fact_type, data)])


def test_a_job_runs_when_its_time_comes_and_not_before(world):
    engine, store, _, scheduler, clock, sent = world
    append(engine, store, "r-1", "ReminderAsked", id="r-1", at=(T0 + timedelta(hours=2)).isoformat())
    assert scheduler.run_one() is False and sent() == []
    clock.now = T0 + timedelta(hours=2)
    assert scheduler.run_one() is True and sent() == ["r-1"]
    assert scheduler.run_one() is False and sent() == ["r-1"], "a job that only changes the database runs once"


def test_a_later_fact_reschedules_or_cancels(world):
    engine, store, due_work, scheduler, clock, sent = world
    append(engine, store, "r-1", "ReminderAsked", id="r-1", at=(T0 + timedelta(hours=1)).isoformat())
    append(engine, store, "r-1", "ReminderAsked", id="r-1", at=(T0 + timedelta(hours=5)).isoformat())
    append(engine, store, "r-2", "ReminderAsked", id="r-2", at=(T0 + timedelta(hours=1)).isoformat())
    append(engine, store, "r-2", "ReminderWithdrawn", id="r-2")
    with engine.connect() as db:
        assert [(i.key, i.due_at) for i in due_work.items(db)] == [("r-1", T0 + timedelta(hours=5))]
    clock.now = T0 + timedelta(hours=4)
    assert scheduler.run_one() is False
    clock.now = T0 + timedelta(hours=5)
    assert scheduler.run_one() is True and sent() == ["r-1"]


def test_the_due_row_commits_with_the_fact_or_not_at_all(world):
    engine, store, due_work, *_ = world
    with pytest.raises(RuntimeError):
        with engine.begin() as db:
            store.append(db, "p-1", 0, [NewFact("PingAsked", {"id": "p-1"})])
            raise RuntimeError("the command failed after appending")
    with engine.connect() as db:
        assert due_work.items(db) == []


def test_a_job_with_outside_work_is_leased_and_falls_due_again_when_its_lease_runs_out(world):
    engine, store, due_work, _, clock, _ = world
    runs = []
    job = Job("ping", lambda db, key: key, then=runs.extend, lease=timedelta(minutes=10))
    scheduler = Scheduler(engine, due_work, [job], clock)
    append(engine, store, "p-1", "PingAsked", id="p-1")
    assert scheduler.run_one() is True and runs == ["p-1"]
    assert scheduler.run_one() is False, "held by its lease"
    clock.now = T0 + timedelta(minutes=10)
    assert scheduler.run_one() is True and runs == ["p-1", "p-1"], "its process died: it runs again"


def test_a_job_that_raises_is_postponed_with_back_off(world):
    engine, store, due_work, _, clock, _ = world

    def broken(db, key):
        raise ValueError("cannot")

    scheduler = Scheduler(engine, due_work, [Job("ping", broken)], clock)
    append(engine, store, "p-1", "PingAsked", id="p-1")
    assert scheduler.run_one() is True
    with engine.connect() as db:
        item, = due_work.items(db)
    assert item.attempts == 1 and item.due_at > T0
    assert scheduler.run_one() is False


class WatchedWaker(Waker):
    def __init__(self):
        super().__init__()
        self.asleep = threading.Event()

    def sleep(self, since, seconds, stopping):
        self.asleep.set()
        super().sleep(since, seconds, stopping)


def test_a_sleeping_scheduler_wakes_when_something_is_scheduled(world):
    engine, store, due_work, scheduler, clock, sent = world
    due_work.waker = WatchedWaker()
    sleeper = threading.Thread(target=scheduler.sleep, daemon=True)
    sleeper.start()
    assert due_work.waker.asleep.wait(10)
    append(engine, store, "r-1", "ReminderAsked", id="r-1", at=T0.isoformat())
    sleeper.join(timeout=10)
    assert not sleeper.is_alive(), "the commit woke it, long before its 300 s safety net"
    assert scheduler.run_one() is True and sent() == ["r-1"]
