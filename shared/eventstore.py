"""The event store: one append-only table of facts per service, and the truth of that service.

Each fact has a global position (the order every follower reads in) and a version within its
stream; unique (stream id, version) turns a stale writer into a ConcurrencyError. On PostgreSQL an
append takes a transaction-level advisory lock, so facts commit in position order and a follower
tailing "position > last seen" can never step over a fact that commits late.
"""
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Callable, Iterable

from sqlalchemy import (BigInteger, Column, Connection, DateTime, Integer, MetaData, String, Table,
                        Text, UniqueConstraint, bindparam, func, insert, select, text)
from sqlalchemy.exc import IntegrityError

from shared import metrics
from shared.database import is_postgres

APPEND_LOCK = 7_201_002
FACTS_CHANNEL = "cpw_facts"  # NOTIFY at each append's commit (PostgreSQL): the followers wake at once


class ConcurrencyError(Exception):
    """Someone else appended to the stream first; reload and decide again."""


@dataclass(frozen=True)
class NewFact:
    type: str
    data: dict
    schema_version: int = 1


@dataclass(frozen=True)
class RecordedFact:
    position: int
    stream_id: str
    version: int
    type: str
    schema_version: int
    data: dict
    metadata: dict = field(default_factory=dict)
    recorded_at: datetime | None = None


Upcaster = Callable[[dict], dict]
AppendHook = Callable[[Connection, list[RecordedFact]], None]


def define_facts_table(metadata: MetaData) -> Table:
    return Table(
        "facts", metadata,
        Column("position", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
               autoincrement=True),
        Column("stream_id", String(200), nullable=False),
        Column("version", Integer, nullable=False),
        Column("type", String(200), nullable=False),
        Column("schema_version", Integer, nullable=False),
        Column("data", Text, nullable=False),
        Column("meta", Text, nullable=False),
        Column("recorded_at", DateTime(timezone=True), nullable=False),
        UniqueConstraint("stream_id", "version", name="facts_stream_version"),
    )


class EventStore:
    def __init__(self, metadata: MetaData, upcasters: dict[tuple[str, int], Upcaster] | None = None,
                 serialise_appends: bool = True):
        """serialise_appends must stay True; False exists only to prove the relay test can fail."""
        self.table = table = define_facts_table(metadata)
        # built once: building a statement costs more CPU than the database spends running it
        self._version_of = (select(func.max(table.c.version)).where(table.c.stream_id == bindparam("stream_id")))
        self._locked_version = select(func.pg_advisory_xact_lock(APPEND_LOCK), self._version_of.scalar_subquery(),
                                      func.pg_notify(FACTS_CHANNEL, ""))
        self._insert = insert(table).returning(table.c.position, sort_by_parameter_order=True)
        self.upcasters = upcasters or {}
        self.serialise_appends = serialise_appends
        self.on_append: list[AppendHook] = []  # run inside the append's transaction (scheduling)

    def append(self, connection: Connection, stream_id: str, expected_version: int,
               facts: Iterable[NewFact], metadata: dict | None = None) -> list[RecordedFact]:
        """Append after expected_version (0 for a new stream) or raise ConcurrencyError."""
        facts = list(facts)
        current = self._lock_and_read_version(connection, stream_id)
        if current != expected_version:
            raise ConcurrencyError(f"{stream_id} is at version {current}, not {expected_version}")
        now = datetime.now(timezone.utc)
        rows = [self._row(stream_id, expected_version + i, fact, metadata or {}, now)
                for i, fact in enumerate(facts, start=1)]
        if not rows:
            return []
        try:
            inserted = connection.execute(self._insert, rows)
        except IntegrityError as error:  # a writer that did not take the lock won the race
            raise ConcurrencyError(f"{stream_id} was appended to concurrently") from error
        metrics.appended(rows)
        recorded = [self._recorded({**row, "position": position}) for row, position in zip(rows, inserted.scalars())]
        for hook in self.on_append:
            hook(connection, recorded)
        return recorded

    def lock_appends(self, connection: Connection) -> None:
        """Take the append lock (PostgreSQL) until the transaction ends; taking it again is free.
        A writer that takes it before reading can decide without racing anyone."""
        if self.serialise_appends and is_postgres(connection):
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": APPEND_LOCK})

    def _lock_and_read_version(self, connection: Connection, stream_id: str) -> int:
        """Take the append lock, read the stream's version and ask for the followers' wake-up at
        commit, in one round trip. The version may be read as of just before the lock was granted;
        a writer that committed in between is still caught, by the unique (stream, version) at the
        insert."""
        if not (self.serialise_appends and is_postgres(connection)):
            return self.stream_version(connection, stream_id)
        return connection.execute(self._locked_version, {"stream_id": stream_id}).one()[1] or 0

    def stream_version(self, connection: Connection, stream_id: str) -> int:
        return connection.execute(self._version_of, {"stream_id": stream_id}).scalar() or 0

    def read_stream(self, connection: Connection, stream_id: str, to_version: int | None = None,
                    after_version: int = 0) -> list[RecordedFact]:
        query = (select(self.table).where(self.table.c.stream_id == stream_id,
                                          self.table.c.version > after_version)
                 .order_by(self.table.c.version))
        if to_version is not None:
            query = query.where(self.table.c.version <= to_version)
        return [self._recorded(row._mapping) for row in connection.execute(query)]

    def read_after(self, connection: Connection, position: int, limit: int = 500) -> list[RecordedFact]:
        query = (select(self.table).where(self.table.c.position > position)
                 .order_by(self.table.c.position).limit(limit))
        return [self._recorded(row._mapping) for row in connection.execute(query)]

    def read_of_type(self, connection: Connection, fact_type: str) -> list[RecordedFact]:
        """Every fact of one type, in position order (for a check across streams: a handful of facts)."""
        query = select(self.table).where(self.table.c.type == fact_type).order_by(self.table.c.position)
        return [self._recorded(row._mapping) for row in connection.execute(query)]

    def last_position(self, connection: Connection) -> int:
        return connection.execute(select(func.max(self.table.c.position))).scalar() or 0

    @staticmethod
    def _row(stream_id, version, fact: NewFact, metadata: dict, now) -> dict:
        return {"stream_id": stream_id, "version": version, "type": fact.type,
                "schema_version": fact.schema_version, "data": json.dumps(fact.data),
                "meta": json.dumps(metadata), "recorded_at": now}

    def _recorded(self, row) -> RecordedFact:
        fact_type, version, data = row["type"], row["schema_version"], json.loads(row["data"])
        while (fact_type, version) in self.upcasters:
            data = self.upcasters[(fact_type, version)](data)
            version += 1
        return RecordedFact(position=row["position"], stream_id=row["stream_id"],
                            version=row["version"], type=fact_type, schema_version=version,
                            data=data, metadata=json.loads(row["meta"]),
                            recorded_at=as_utc(row["recorded_at"]))


def as_utc(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; everything stored is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
