"""Aggregates rebuilt from their streams, and the repository that loads, decides and saves them.

A fact is a `shared.facts.Fact`: its stored type name and schema version are declared on the class,
never taken from the class name. An aggregate method checks its invariant and records facts;
applying a fact only changes state. An aggregate whose stream grows long (an activity with hundreds
of registrations) takes a snapshot every so many versions, and loads from it.

Every command goes through one operation, `Repository.execute`: load the aggregate, let it decide,
save what it recorded with the actor's name in each fact's metadata, and on a conflict start again
from fresh state, so that no handler writes that loop again.

A repository keeps the aggregates it saved last in memory (`Recent`), as a snapshot that needs no
query: the next command on that stream starts from it and reads only the facts appended since,
by this process or any other. The stream stays the truth; the copy only saves replaying it. A copy
is kept only once its facts have committed: by `execute` for a transaction of its own, and by the
owner of a caller's transaction (the consumer's) through `kept_once_committed`.
"""
import logging
import threading
import uuid
import zlib
from collections import OrderedDict
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, ClassVar, Generic, Iterator, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from shared.actors import Actor
from shared.errors import StaleVersion
from shared.eventstore import ConcurrencyError, EventStore, NewFact
from shared.facts import Fact, shape_fingerprint
from shared.logs import correlation_id, fields
from shared.snapshots import Snapshots


class Aggregate:
    facts: ClassVar[dict[str, type[Fact]]] = {}  # stored type name -> class (shared.facts.facts_by_type)
    snapshot_every: ClassVar[int] = 0  # 0: never; otherwise implement snapshot() and restore()
    snapshot_schema: ClassVar[int] = 1  # bump when snapshot() changes shape (fact versions count by themselves)

    def __init__(self, stream_id: str):
        self.stream_id = stream_id
        self.version = 0
        self.pending: list[Fact] = []

    def record(self, fact: Fact) -> None:
        self.apply(fact)
        self.pending.append(fact)

    def apply(self, fact: Fact) -> None:
        raise NotImplementedError

    def snapshot(self) -> dict:
        raise NotImplementedError

    def restore(self, state: dict) -> None:
        raise NotImplementedError

    @classmethod
    def snapshot_key(cls) -> int:
        """What a snapshot must have been taken under to be used: the snapshot's own schema and the
        versions of every fact the aggregate applies."""
        return zlib.crc32(f"{cls.snapshot_schema}/{shape_fingerprint(cls.facts)}".encode()) & 0x7FFFFFFF


A = TypeVar("A", bound=Aggregate)
R = TypeVar("R")
log = logging.getLogger(__name__)


class Recent(Generic[A]):
    """The aggregates a repository saved last, each at a version that is committed. A unit of work
    takes one for itself (no other thread can change it meanwhile) and gives it back only after
    its own commit; one that fails gives nothing back, and the next load reads the database."""

    def __init__(self, size: int):
        self.size, self._kept, self._lock = size, OrderedDict(), threading.Lock()

    def take(self, stream_id: str) -> A | None:
        with self._lock:
            return self._kept.pop(stream_id, None)

    def give_back(self, aggregate: A) -> None:
        with self._lock:
            self._kept[aggregate.stream_id] = aggregate
            while len(self._kept) > self.size:
                self._kept.popitem(last=False)


_KEPT_ONCE_COMMITTED: ContextVar["KeptOnceCommitted | None"] = ContextVar("kept_once_committed", default=None)


class KeptOnceCommitted:
    """The aggregates saved in one transaction of a caller's, each to be given back to its
    repository's memory once that transaction has committed."""

    def __init__(self):
        self.give_backs: list[Callable[[], None]] = []

    def committed(self) -> None:
        for give_back in self.give_backs:
            give_back()


@contextmanager
def kept_once_committed() -> Iterator[KeptOnceCommitted]:
    """Around a transaction whose handlers run Repository.execute(db=...): the aggregates they save
    are kept in their repositories' memory, like a command's own, once `committed()` is called
    after the commit; a transaction that fails keeps none. Where no owner says so (a scheduled
    job's transaction, say), execute(db=...) neither takes nor keeps a copy.

        with kept_once_committed() as kept, engine.begin() as db:
            handle(db)
        kept.committed()
    """
    kept = KeptOnceCommitted()
    token = _KEPT_ONCE_COMMITTED.set(kept)
    try:
        yield kept
    finally:
        _KEPT_ONCE_COMMITTED.reset(token)


class Repository(Generic[A]):
    RECENT = 512  # aggregates kept in memory per repository

    def __init__(self, engine: Engine, store: EventStore, aggregate: type[A], snapshots: Snapshots | None = None):
        self.engine, self.store, self.aggregate = engine, store, aggregate
        self.snapshots = snapshots if aggregate.snapshot_every else None
        self.recent: Recent[A] = Recent(self.RECENT)

    def execute(self, stream_id: str, decide: Callable[[A, Connection], R], actor: Actor,
                causation_id: str | None = None, db: Connection | None = None,
                expected_version: int | None = None) -> R:
        """Load the aggregate, let decide() change it (and return an answer), save what it
        recorded. In its own transaction, retried from fresh state on a conflict; or, given db, in
        the caller's transaction (a message handler's, which the consumer retries as a whole).
        With expected_version (an edit made from what someone read), a newer stream is refused
        with StaleVersion instead of being decided on: nobody overwrites a change they never saw."""
        def work(connection: Connection, start: A | None = None) -> tuple[R, A]:
            aggregate = self.get(connection, stream_id, start)
            if expected_version is not None and aggregate.version != expected_version:
                raise StaleVersion(aggregate.version)
            answer = decide(aggregate, connection)
            self.save(connection, aggregate, actor, causation_id)
            return answer, aggregate
        if db is not None:  # the caller's transaction: a copy is kept only where its owner says it committed
            kept = _KEPT_ONCE_COMMITTED.get()
            answer, saved = work(db, self.recent.take(stream_id) if kept is not None else None)
            if kept is not None:
                kept.give_backs.append(lambda: self.recent.give_back(saved))
            return answer
        recent = self.recent.take(stream_id)
        answer, saved = with_retries(self.engine, self.store,
                                     lambda connection, attempt: work(connection, recent if attempt == 1 else None))
        self.recent.give_back(saved)
        return answer

    def get(self, db: Connection, stream_id: str, start: A | None = None) -> A:
        """The aggregate as its stream has it now: from `start` (a copy kept in memory), its
        snapshot or the beginning, with the facts after it."""
        found = start or self._from_snapshot(db, stream_id) or self.aggregate(stream_id)
        for recorded in self.store.read_stream(db, stream_id, after_version=found.version):
            found.apply(self.aggregate.facts[recorded.type].from_data(recorded.data))
            found.version = recorded.version
        return found

    def _from_snapshot(self, db: Connection, stream_id: str) -> A | None:
        """The aggregate as its snapshot left it; None without one, or when the snapshot no longer
        fits the aggregate (a snapshot is only a shortcut: the stream is replayed instead)."""
        snapshot = self.snapshots and self.snapshots.load(db, stream_id, self.aggregate.snapshot_key())
        if not snapshot:
            return None
        found = self.aggregate(stream_id)
        try:
            found.restore(snapshot.state)
        except (KeyError, TypeError, ValueError):
            log.warning("snapshot does not fit; replaying the stream", extra=fields(stream_id=stream_id))
            return None
        found.version = snapshot.version
        return found

    def save(self, db: Connection, aggregate: A, actor: Actor, causation_id: str | None = None) -> None:
        if not aggregate.pending:
            return
        metadata = {"correlation_id": correlation_id.get() or str(uuid.uuid4()), "causation_id": causation_id,
                    "actor": actor.as_metadata()}
        new = [NewFact(type(fact).type_name, fact.to_data(), type(fact).schema_version) for fact in aggregate.pending]
        self.store.append(db, aggregate.stream_id, aggregate.version, new, metadata)
        before, aggregate.version = aggregate.version, aggregate.version + len(new)
        aggregate.pending = []
        every = self.aggregate.snapshot_every
        if self.snapshots and before // every != aggregate.version // every:
            self.snapshots.save(db, aggregate.stream_id, aggregate.version, self.aggregate.snapshot_key(),
                                aggregate.snapshot())


def with_retries(engine: Engine, store: EventStore, work: Callable[[Connection, int], R], attempts: int = 3) -> R:
    """Run work(connection, attempt) in a transaction. Optimistic first; after a conflict, start
    again from fresh state holding the append lock from the start, so the retry cannot lose the
    race again."""
    for attempt in range(1, attempts + 1):
        try:
            with engine.begin() as db:
                if attempt > 1:
                    store.lock_appends(db)
                return work(db, attempt)
        except (ConcurrencyError, IntegrityError, OperationalError) as error:
            if attempt == attempts or not _worth_retrying(error):
                raise
    raise AssertionError("unreachable")


RETRYABLE_STATES = {"40001", "40P01"}  # serialization failure, deadlock detected


def _worth_retrying(error: Exception) -> bool:
    if isinstance(error, OperationalError):
        return getattr(error.orig, "sqlstate", None) in RETRYABLE_STATES
    return True
