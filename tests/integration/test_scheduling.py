"""Two scheduler instances against one PostgreSQL database: every due item runs exactly once, and a
sleeping scheduler is woken by the commit that schedules work (LISTEN/NOTIFY), not by polling."""
import threading
from datetime import datetime, timedelta, timezone

from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select

from shared.database import create_tables, make_engine
from shared.eventstore import EventStore, NewFact
from shared.scheduling import DueWork, Job, Rule, Scheduler, due_before, at_once, channel_of

ITEMS = 300
T0 = datetime(2030, 11, 1, 9, tzinfo=timezone.utc)


def build(url, claim_lock=True):
    metadata = MetaData()
    engine = make_engine(url)
    store = EventStore(metadata)
    due_work = DueWork(metadata, engine, lambda: T0)
    store.on_append.append(due_work.on_append)
    due_work.add_rules([Rule("PingAsked", "ping", lambda fact: fact.data["id"], at_once),
                        Rule("PongAsked", "pong", lambda fact: fact.data["id"], at_once)])
    runs = Table("ping_runs", metadata, Column("id", Integer, primary_key=True), Column("key", String(50)))
    create_tables(engine, metadata)
    job = Job("ping", lambda db, key: db.execute(insert(runs).values(key=key)))
    return engine, store, Scheduler(engine, due_work, [job], lambda: T0, claim_lock=claim_lock), runs


def run_until_nothing_due(scheduler):
    while scheduler.run_one():
        pass


def run_twice_over(url, claim_lock):
    (engine, store, first, runs), (other_engine, _, second, _) = build(url, claim_lock), build(url, claim_lock)
    with engine.begin() as db:
        for n in range(ITEMS):
            store.append(db, f"ping-{n}", 0, [NewFact("PingAsked", {"id": f"ping-{n}"})])
    threads = [threading.Thread(target=run_until_nothing_due, args=(s,)) for s in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    with engine.connect() as db:
        counts = dict(db.execute(select(runs.c.key, func.count()).group_by(runs.c.key)).all())
    engine.dispose(), other_engine.dispose()
    twice = sum(1 for count in counts.values() if count > 1)
    print(f"\nclaim lock {'on' if claim_lock else 'off'}: items {ITEMS}, ran {sum(counts.values())}, "
          f"ran twice {twice}, never ran {ITEMS - len(counts)}")
    return counts, twice


def test_two_schedulers_run_each_due_item_exactly_once(postgres_url):
    counts, twice = run_twice_over(postgres_url, claim_lock=True)
    assert len(counts) == ITEMS and twice == 0


def test_without_the_claim_lock_two_schedulers_run_items_twice(postgres_url):
    _, twice = run_twice_over(postgres_url, claim_lock=False)
    assert twice > 0


def test_a_sleeping_scheduler_is_woken_by_the_commit_that_schedules_work(postgres_url):
    engine, store, scheduler, runs = build(postgres_url)
    asleep, sleep = threading.Event(), scheduler.listener.sleep
    scheduler.listener.sleep = lambda *args: (asleep.set(), sleep(*args))
    sleeper = threading.Thread(target=scheduler.sleep, daemon=True)
    sleeper.start()
    assert asleep.wait(10), "it found nothing due and went to sleep"
    with engine.begin() as db:
        store.append(db, "p-0", 0, [NewFact("PingAsked", {"id": "p-0"})])
    sleeper.join(timeout=20)
    assert not sleeper.is_alive(), "NOTIFY woke it, long before its 300 s safety net"
    scheduler.close()
    engine.dispose()


def test_a_scheduler_hears_only_of_its_own_jobs(postgres_url):
    """Each job has a channel of its own: a mail queued wakes the mailer's senders, not the
    reminders' scheduler (which would look through every reminder to find nothing due)."""
    engine, store, scheduler, _runs = build(postgres_url)  # it runs "ping" only
    scheduler.listener.listen()
    heard = []
    for n, asked in enumerate(("PongAsked", "PingAsked")):
        with engine.begin() as db:
            store.append(db, f"{asked}-{n}", 0, [NewFact(asked, {"id": f"{asked}-{n}"})])
        heard.append([note.channel for note in scheduler.listener._connection.notifies(timeout=1, stop_after=1)])
    scheduler.close()
    engine.dispose()
    assert heard == [[], [channel_of("ping")]]


def test_a_sleeping_scheduler_sleeps_on_through_news_of_an_item_due_after_it_wakes(postgres_url):
    """The NOTIFY says when the item falls due: a scheduler asleep until sooner than that is not
    woken to find nothing due (a reminder for next week, queued with every booking)."""
    engine, store, scheduler, _runs = build(postgres_url)
    scheduler.listener.listen()
    wake_at = T0 + timedelta(hours=1)
    woken = []
    for n, due_in in enumerate((timedelta(days=7), timedelta(minutes=5))):
        with engine.begin() as db:
            scheduler.due_work.schedule(db, "ping", f"p-{n}", T0 + due_in)
        woken.append(scheduler.listener.sleep(2, threading.Event(), lambda payload: due_before(payload, wake_at)))
    scheduler.close()
    engine.dispose()
    assert woken == [False, True]


def test_a_transaction_tells_of_a_job_again_only_for_an_item_due_sooner(postgres_url):
    """A later item of a job wakes no one its transaction's earlier notification did not."""
    engine, _store, scheduler, _runs = build(postgres_url)
    scheduler.listener.listen()
    with engine.begin() as db:
        for n, due_in in enumerate((timedelta(days=1), timedelta(days=2), timedelta(hours=1), timedelta(days=3))):
            scheduler.due_work.schedule(db, "ping", f"p-{n}", T0 + due_in)
    told = [note.payload for note in scheduler.listener._connection.notifies(timeout=1, stop_after=3)]
    scheduler.close()
    engine.dispose()
    assert told == [(T0 + timedelta(days=1)).isoformat(), (T0 + timedelta(hours=1)).isoformat()]
