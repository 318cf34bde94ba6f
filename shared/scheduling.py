"""Scheduled work: "do this at that time", once for every service.

Work that must happen is a row in `due_work` (job, key, due time in UTC, claim lease, attempts),
written in the same transaction as the fact that asks for it: a service declares rules ("when a
fact of type X is appended, schedule job J for key K at time T", or cancel it) and the event store
applies them inside its append. Nothing that must happen is found through a read table, which may
lag or fail.

A scheduler loop sleeps until the next due item or until a transaction that scheduled something
for one of its jobs commits (PostgreSQL: NOTIFY on the job's own channel, delivered on commit, so
that a mail queued wakes the mailer's senders and not the reminders' scheduler; SQLite: an
in-process wake-up), never polling. It claims one due item at a time with FOR UPDATE SKIP LOCKED (PostgreSQL;
SQLite has one writer), so two instances never run the same item:
- a job that only changes the database runs in the transaction that deletes its row: exactly once;
- a job with work outside the database (`then`: sending mail) takes a lease instead and does that
  work after the commit; its own facts cancel or reschedule the row, and if its process dies the
  lease runs out and the item falls due again.
"""
import logging
import re
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Callable, Iterable

from sqlalchemy import (Column, Connection, DateTime, Engine, Integer, MetaData, String, Table, bindparam, case,
                        delete, event, func, select, text, update)
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from shared.database import is_postgres
from shared.listening import STOP_CHECK, Listener
from shared.eventstore import RecordedFact, as_utc
from shared import metrics
from shared.logs import fields

log = logging.getLogger(__name__)
CHANNEL = "cpw_due_work"  # each job's channel is this, then the job's name (see channel_of)
LONGEST_SLEEP = 300.0  # seconds; a safety net for a lost wake-up, not a polling interval
CHANGED = "due_work_changed"


def channel_of(job: str) -> str:
    """The NOTIFY channel of one job: an identifier LISTEN takes without quotes."""
    return f"{CHANNEL}_{re.sub('[^a-z0-9]', '_', job.lower())}"[:63]


def _forget_changes(connection: Connection) -> None:
    """A rolled back transaction woke nobody. A connection found dead has nothing left to forget:
    what it noted goes with it."""
    if not connection.invalidated:
        connection.info.pop(CHANGED, None)


@dataclass(frozen=True)
class Rule:
    """When a fact of type `fact_type` is appended, schedule `job` for `key(fact)` at
    `at(fact, now)`, or cancel it when that is None."""
    fact_type: str
    job: str
    key: Callable[[RecordedFact], str]
    at: Callable[[RecordedFact, datetime], datetime | None]


def at_once(_fact: RecordedFact, now: datetime) -> datetime:
    return now


def cancel(_fact: RecordedFact, _now: datetime) -> None:
    return None


@dataclass(frozen=True)
class Job:
    """`run` runs in the transaction that claims the item. Without `then` the item's row is
    deleted in that transaction (exactly once); with `then`, the item is leased for `lease` and
    `then(results)` runs after the commit, outside any transaction, with the result of `run` for
    each item claimed together: up to `batch` items due at once are claimed in one transaction.
    `save(db, results)`, when given, runs in that transaction after `run` has decided every item,
    so that a job can read all of a batch first and write it together at the end."""
    name: str
    run: Callable[[Connection, str], Any]
    then: Callable[[list], None] | None = None
    lease: timedelta = timedelta(minutes=5)
    batch: int = 1
    save: Callable[[Connection, list], None] | None = None


@dataclass(frozen=True)
class DueItem:
    job: str
    key: str
    due_at: datetime
    attempts: int


class DueWork:
    """The due-work table, the rules that fill it, and the wake-up of its sleepers."""

    def __init__(self, metadata: MetaData, engine: Engine, clock: Callable[[], datetime]):
        self.table = Table("due_work", metadata,
                           Column("job", String(100), primary_key=True),
                           Column("key", String(200), primary_key=True),
                           Column("due_at", DateTime(timezone=True), nullable=False, index=True),
                           Column("claimed_until", DateTime(timezone=True)),
                           Column("attempts", Integer, nullable=False, default=0))
        self.clock, self.rules = clock, {}
        self.waker = Waker()
        self._statements = _statements(self.table)
        event.listen(engine, "commit", self._committed)
        event.listen(engine, "rollback", _forget_changes)

    def add_rules(self, rules: Iterable[Rule]) -> None:
        for rule in rules:
            self.rules.setdefault(rule.fact_type, []).append(rule)

    def on_append(self, db: Connection, facts: list[RecordedFact]) -> None:
        """The event store's append hook: runs inside the append's transaction."""
        for fact in facts:
            for rule in self.rules.get(fact.type, ()):
                due_at = rule.at(fact, self.clock())
                if due_at is None:
                    self.cancel(db, rule.job, rule.key(fact))
                else:
                    self.schedule(db, rule.job, rule.key(fact), due_at)

    def schedule(self, db: Connection, job: str, key: str, due_at: datetime) -> None:
        """Due at due_at, whatever was scheduled for it before; an old claim lease is dropped."""
        insert = postgres_insert if is_postgres(db) else sqlite_insert
        statement = insert(self.table).values(job=job, key=key, due_at=due_at, attempts=0)
        db.execute(statement.on_conflict_do_update(index_elements=["job", "key"],
                                                   set_={"due_at": due_at, "claimed_until": None}))
        self._changed(db, job, due_at)

    def cancel(self, db: Connection, job: str, key: str) -> None:
        db.execute(self._statements["cancel"], {"the_job": job, "the_key": key})

    def claim(self, db: Connection, jobs: Iterable[str], now: datetime, lock: bool = True,
              limit: int = 1) -> list[DueItem]:
        """The earliest due items of these jobs that no one holds (at most `limit`), locked until
        the transaction ends. lock=False exists only to show the scheduling test can fail."""
        table = self.table
        query = (select(table.c.job, table.c.key, table.c.due_at, table.c.attempts)
                 .where(table.c.job.in_(list(jobs)), table.c.due_at <= now,
                        (table.c.claimed_until.is_(None)) | (table.c.claimed_until <= now))
                 .order_by(table.c.due_at).limit(limit))
        rows = db.execute(query.with_for_update(skip_locked=True) if lock else query)
        return [DueItem(row.job, row.key, as_utc(row.due_at), row.attempts) for row in rows]

    def lease(self, db: Connection, job: str, keys: list[str], until: datetime) -> None:
        """Lease these claimed items of one job until `until`, in one statement."""
        db.execute(self._statements["lease"], {"the_job": job, "keys": keys, "until": until})

    def extend(self, db: Connection, job: str, keys: list[str], until: datetime) -> None:
        """Hold these leased items until `until`: a job that takes longer than its lease renews it."""
        db.execute(self._statements["extend"], {"the_job": job, "keys": keys, "until": until})

    def postpone(self, db: Connection, item: DueItem, until: datetime) -> None:
        db.execute(update(self.table).where(self.table.c.job == item.job, self.table.c.key == item.key)
                   .values(due_at=until, claimed_until=None, attempts=item.attempts + 1))

    def next_due(self, db: Connection, jobs: Iterable[str]) -> datetime | None:
        """When the next of these jobs' items falls due (a leased one when its lease runs out)."""
        table = self.table
        free_at = case((table.c.claimed_until > table.c.due_at, table.c.claimed_until), else_=table.c.due_at)
        found = db.execute(select(func.min(free_at)).where(table.c.job.in_(list(jobs)))).scalar()
        return as_utc(found) if found else None

    def items(self, db: Connection) -> list[DueItem]:
        rows = db.execute(select(self.table).order_by(self.table.c.due_at))
        return [DueItem(row.job, row.key, as_utc(row.due_at), row.attempts) for row in rows]

    def _changed(self, db: Connection, job: str, due_at: datetime) -> None:
        """Wake the job's schedulers at commit, telling them when the item falls due: one asleep
        until sooner than that sleeps on (a reminder scheduled for next week wakes no one). Once a
        transaction has told of an item of a job, a later item of that job wakes no one it did not
        (a booking's two reminders: one notification)."""
        told = db.info.setdefault(CHANGED, {})  # job -> the soonest due time told in this transaction
        if job in told and told[job] <= due_at:
            return
        told[job] = due_at
        if is_postgres(db):
            db.execute(text("SELECT pg_notify(:channel, :due_at)"),
                       {"channel": channel_of(job), "due_at": due_at.isoformat()})

    def _committed(self, connection: Connection) -> None:
        if connection.info.pop(CHANGED, None):
            self.waker.wake()


def _statements(table: Table) -> dict:
    """The statements run for every item (a mail: several each), built once: building one costs
    more than running it."""
    job, key = table.c.job == bindparam("the_job"), table.c.key == bindparam("the_key")
    keys, until = table.c.key.in_(bindparam("keys", expanding=True)), bindparam("until")
    return {"cancel": delete(table).where(job, key),
            "lease": update(table).where(job, keys).values(claimed_until=until, attempts=table.c.attempts + 1),
            "extend": update(table).where(job, keys, table.c.claimed_until.is_not(None)).values(claimed_until=until)}


class Waker:
    """In-process wake-up for the embedded SQLite mode: a counter that sleepers watch."""

    def __init__(self):
        self._changed = threading.Condition()
        self._generation = 0

    def generation(self) -> int:
        with self._changed:
            return self._generation

    def wake(self) -> None:
        with self._changed:
            self._generation += 1
            self._changed.notify_all()

    def sleep(self, since: int, seconds: float, stopping: threading.Event) -> None:
        """Until a wake-up after `since`, `seconds` or a stop (looked at every STOP_CHECK)."""
        deadline = time.monotonic() + max(0.0, seconds)
        with self._changed:
            while self._generation == since and not stopping.is_set():
                left = deadline - time.monotonic()
                if left <= 0:
                    return
                self._changed.wait(min(left, STOP_CHECK))


class Scheduler:
    """The loop's step: run one due item, or sleep until the next one may be due."""

    def __init__(self, engine: Engine, due_work: DueWork, jobs: Iterable[Job], clock: Callable[[], datetime],
                 stopping: threading.Event | None = None, claim_lock: bool = True, side_by_side: int = 1):
        self.engine, self.due_work, self.clock = engine, due_work, clock
        self.side_by_side = side_by_side  # schedulers of this process that run these jobs
        self.jobs = {job.name: job for job in jobs}
        self.stopping = stopping or threading.Event()
        self.claim_lock = claim_lock  # False only in the test that shows the lock matters
        self.listener = Listener(engine, *map(channel_of, self.jobs)) if is_postgres(engine) else None

    def step(self) -> int:
        if self.run_one():
            return 1
        self.sleep()
        return 0

    def run_one(self) -> bool:
        """Claim the earliest due item, with more of its job's items due (up to the job's batch),
        and run the job on each; False when nothing is due. A job that raises on an item is
        postponed with back-off (the others claimed with it come back at once); a database error,
        or one in the job's save of the whole batch, goes to the loop, which backs off."""
        failed: DueItem | None = None
        try:
            with self.engine.begin() as db:
                items = self._claim(db)
                if not items:
                    return False
                job, results = self.jobs[items[0].job], []
                self._take(db, items, job)
                for item in items:
                    metrics.scheduled(item.job, item.due_at, self.clock())
                    try:
                        results.append(job.run(db, item.key))
                    except Exception:
                        failed = item
                        raise
                if job.save is not None:
                    job.save(db, results)
        except Exception:
            if failed is None:
                raise
            log.exception("scheduled job failed; postponed", extra=fields(job=failed.job, key=failed.key))
            self._postpone(failed)
            return True
        if job.then is not None:
            job.then(results)
        return True

    def _claim(self, db: Connection) -> list[DueItem]:
        """Items of one job: the earliest due item's, with more of that job's due items, up to its
        batch but no more than this scheduler's share when `side_by_side` run it: two mails due and
        four senders, each mail goes with a sender of its own, and a slow one holds back no other."""
        limit = max(job.batch for job in self.jobs.values()) * self.side_by_side
        items = self.due_work.claim(db, self.jobs, self.clock(), lock=self.claim_lock, limit=limit)
        if not items:
            return []
        job = self.jobs[items[0].job]
        same_job = [item for item in items if item.job == job.name]
        return same_job[:min(job.batch, -(-len(same_job) // self.side_by_side))]

    def _take(self, db: Connection, items: list[DueItem], job: Job) -> None:
        if job.then is None:
            for item in items:
                self.due_work.cancel(db, item.job, item.key)  # commits with the job's work: exactly once
        else:
            self.due_work.lease(db, job.name, [item.key for item in items], self.clock() + job.lease)

    def _postpone(self, item: DueItem) -> None:
        backoff = timedelta(seconds=min(3600, 10 * 2 ** item.attempts))
        with self.engine.begin() as db:
            self.due_work.postpone(db, item, self.clock() + backoff)

    def sleep(self) -> None:
        if self.listener:
            self.listener.listen()  # before looking, so that no commit falls between the two
        since = self.due_work.waker.generation()
        with self.engine.connect() as db:
            next_due = self.due_work.next_due(db, self.jobs)
        seconds = LONGEST_SLEEP if next_due is None else (next_due - self.clock()).total_seconds()
        seconds = min(LONGEST_SLEEP, seconds)
        if seconds <= 0:
            return
        if self.listener:
            wake_at = self.clock() + timedelta(seconds=seconds)
            self.listener.sleep(seconds, self.stopping, lambda payload: due_before(payload, wake_at))
        else:
            self.due_work.waker.sleep(since, seconds, self.stopping)

    def close(self) -> None:
        """After an error (a database outage): a fresh LISTEN connection next time."""
        if self.listener:
            self.listener.close()


def due_before(payload: str, moment: datetime) -> bool:
    """Whether a notification tells of an item due before `moment` (one that does not say when does)."""
    try:
        return datetime.fromisoformat(payload) < moment
    except (ValueError, TypeError):  # no time, or one without its zone
        return True
