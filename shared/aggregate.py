"""Aggregates rebuilt from their streams, and the repository that loads and saves them.

A fact is a small frozen dataclass; its class name is its stored type, so a fact class is never
renamed (write an upcaster and a new class instead). An aggregate method checks its invariant and
records facts; applying a fact only changes state. An aggregate whose stream grows long (an activity
with hundreds of registrations) takes a snapshot every so many versions, and loads from it.
"""
import dataclasses
import logging
import uuid
from typing import Callable, ClassVar, Generic, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError, OperationalError

from shared.eventstore import ConcurrencyError, EventStore, NewFact
from shared.logs import correlation_id, fields
from shared.snapshots import Snapshots


class Aggregate:
    facts: ClassVar[dict[str, type]] = {}
    snapshot_every: ClassVar[int] = 0  # 0: never; otherwise implement snapshot() and restore()
    snapshot_schema: ClassVar[int] = 1

    def __init__(self, stream_id: str):
        self.stream_id = stream_id
        self.version = 0
        self.pending: list = []

    def record(self, fact) -> None:
        self.apply(fact)
        self.pending.append(fact)

    def apply(self, fact) -> None:
        raise NotImplementedError

    def snapshot(self) -> dict:
        raise NotImplementedError

    def restore(self, state: dict) -> None:
        raise NotImplementedError


A = TypeVar("A", bound=Aggregate)
log = logging.getLogger(__name__)


class Repository(Generic[A]):
    def __init__(self, store: EventStore, aggregate: type[A], snapshots: Snapshots | None = None):
        self.store, self.aggregate = store, aggregate
        self.snapshots = snapshots if aggregate.snapshot_every else None

    def get(self, db: Connection, stream_id: str) -> A:
        found = self._from_snapshot(db, stream_id) or self.aggregate(stream_id)
        for recorded in self.store.read_stream(db, stream_id, after_version=found.version):
            found.apply(self.aggregate.facts[recorded.type](**recorded.data))
            found.version = recorded.version
        return found

    def _from_snapshot(self, db: Connection, stream_id: str) -> A | None:
        """The aggregate as its snapshot left it; None without one, or when the snapshot no longer
        fits the aggregate (a snapshot is only a shortcut: the stream is replayed instead)."""
        snapshot = self.snapshots and self.snapshots.load(db, stream_id, self.aggregate.snapshot_schema)
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

    def save(self, db: Connection, aggregate: A, causation_id: str | None = None, actor: str = "") -> None:
        metadata = {"correlation_id": correlation_id.get() or str(uuid.uuid4()), "causation_id": causation_id, "actor": actor}
        new = [NewFact(type(fact).__name__, dataclasses.asdict(fact)) for fact in aggregate.pending]
        self.store.append(db, aggregate.stream_id, aggregate.version, new, metadata)
        before, aggregate.version = aggregate.version, aggregate.version + len(new)
        aggregate.pending = []
        every = self.aggregate.snapshot_every
        if self.snapshots and before // every != aggregate.version // every:
            self.snapshots.save(db, aggregate.stream_id, aggregate.version, self.aggregate.snapshot_schema,
                                aggregate.snapshot())


R = TypeVar("R")


def with_retries(engine: Engine, store: EventStore, work: Callable[[Connection], R], attempts: int = 3) -> R:
    """Run work in a transaction. Optimistic first; after a conflict, start again from fresh state
    holding the append lock from the start, so the retry cannot lose the race again."""
    for attempt in range(1, attempts + 1):
        try:
            with engine.begin() as db:
                if attempt > 1:
                    store.lock_appends(db)
                return work(db)
        except (ConcurrencyError, IntegrityError, OperationalError) as error:
            if attempt == attempts or not _worth_retrying(error):
                raise
    raise AssertionError("unreachable")


RETRYABLE_STATES = {"40001", "40P01"}  # serialization failure, deadlock detected


def _worth_retrying(error: Exception) -> bool:
    if isinstance(error, OperationalError):
        return getattr(error.orig, "sqlstate", None) in RETRYABLE_STATES
    return True
