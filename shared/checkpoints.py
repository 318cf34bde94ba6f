"""How far each follower of the log (the relay, each projection) has got, by position, and the
facts it had to step over (set aside, with the reason, for an admin: never silently).

Followers fence each other through their checkpoint row, whatever the leadership lock says: a
projector reads its checkpoint with a row lock (claim) and moves it in the same transaction, and the
relay moves its checkpoint only from where it read it (advance), so two instances running at once
can never apply a batch twice or move a checkpoint backwards.

Beside each projection's checkpoint, its state: the version its tables were built at, and while it
fails, since when, how often, at which position, the error's type (never its message: it may quote
data) and when it is tried next. The projector writes it, /healthz and `status` read it.
"""
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import (BigInteger, Column, Connection, DateTime, Integer, MetaData, String, Table, func, insert,
                        select, update)
from sqlalchemy.exc import IntegrityError

from shared.eventstore import as_utc


@dataclass(frozen=True)
class ProjectionState:
    version: int | None = None  # None: never built by a projector that knows versions
    failing_since: datetime | None = None
    attempts: int = 0
    position: int | None = None  # the fact it stops at
    error: str | None = None  # the error's type
    next_try: datetime | None = None

    def report(self) -> dict:
        return {"position": self.position, "error": self.error, "attempts": self.attempts,
                "failing_since": _iso(self.failing_since), "next_try": _iso(self.next_try)}


FAILURE_CLEARED = {"failing_since": None, "attempts": 0, "position": None, "error": None, "next_try": None}


class Checkpoints:
    def __init__(self, metadata: MetaData):
        self.table = Table("checkpoints", metadata,
                           Column("name", String(100), primary_key=True),
                           Column("position", BigInteger, nullable=False))
        self.set_aside_table = Table("set_aside_facts", metadata,
                                     Column("follower", String(100), primary_key=True),
                                     Column("position", BigInteger, primary_key=True),
                                     Column("reason", String(500), nullable=False),
                                     Column("at", DateTime(timezone=True), nullable=False))
        self.states_table = Table("projection_states", metadata,
                                  Column("name", String(100), primary_key=True),
                                  Column("version", Integer),
                                  Column("failing_since", DateTime(timezone=True)),
                                  Column("attempts", Integer, nullable=False, default=0),
                                  Column("position", BigInteger),
                                  Column("error", String(100)),
                                  Column("next_try", DateTime(timezone=True)))

    def get(self, connection: Connection, name: str) -> int:
        query = select(self.table.c.position).where(self.table.c.name == name)
        return connection.execute(query).scalar() or 0

    def claim(self, connection: Connection, name: str) -> int:
        """The position, with the row locked until the transaction ends (made at 0 if new)."""
        query = select(self.table.c.position).where(self.table.c.name == name).with_for_update()
        position = connection.execute(query).scalar()
        if position is None:
            try:
                with connection.begin_nested():
                    connection.execute(insert(self.table).values(name=name, position=0))
            except IntegrityError:
                pass  # another instance made it first; the select below waits for its commit
            position = connection.execute(query).scalar()
        return position

    def advance(self, connection: Connection, name: str, expected: int, position: int) -> bool:
        """Move from expected to position; False when someone else moved it in between."""
        return connection.execute(update(self.table).where(self.table.c.name == name,
                                                           self.table.c.position == expected)
                                  .values(position=position)).rowcount == 1

    def all(self, connection: Connection) -> dict[str, int]:
        return dict(connection.execute(select(self.table.c.name, self.table.c.position)).all())

    def set(self, connection: Connection, name: str, position: int) -> None:
        changed = connection.execute(update(self.table).where(self.table.c.name == name)
                                     .values(position=position)).rowcount
        if not changed:
            connection.execute(insert(self.table).values(name=name, position=position))

    def set_aside(self, connection: Connection, name: str, position: int, reason: str) -> None:
        """Record a fact stepped over; once, however often the follower meets it (replays)."""
        table = self.set_aside_table
        known = connection.execute(select(table.c.position).where(table.c.follower == name,
                                                                  table.c.position == position)).first()
        if not known:
            connection.execute(insert(table).values(follower=name, position=position, reason=reason[:500],
                                                    at=datetime.now(timezone.utc)))

    def set_aside_facts(self, connection: Connection, name: str) -> list[tuple[int, str]]:
        table = self.set_aside_table
        query = select(table.c.position, table.c.reason).where(table.c.follower == name).order_by(table.c.position)
        return [tuple(row) for row in connection.execute(query)]

    def take_back(self, connection: Connection, name: str, position: int) -> None:
        table = self.set_aside_table
        connection.execute(table.delete().where(table.c.follower == name, table.c.position == position))

    def set_aside_counts(self, connection: Connection) -> dict[str, int]:
        table = self.set_aside_table
        return dict(connection.execute(select(table.c.follower, func.count()).group_by(table.c.follower)).all())

    def projection_state(self, connection: Connection, name: str) -> ProjectionState:
        row = connection.execute(select(self.states_table).where(self.states_table.c.name == name)).first()
        return _state(row._mapping) if row else ProjectionState()

    def claim_projection(self, connection: Connection, name: str, projection: str) -> tuple[int, ProjectionState]:
        """claim(name) and projection_state(projection) in one round trip: what the projector reads
        at every step. Both rows are locked, so a projector that waited for another reads the state
        that one left (a version it has just rebuilt to, say), not the state from before it waited."""
        states = self.states_table
        query = (select(self.table.c.position.label("checkpoint"), *(c for c in states.c if c.name != "name"))
                 .select_from(self.table.join(states, states.c.name == projection))
                 .where(self.table.c.name == name).with_for_update())
        row = connection.execute(query).first()
        if row is None:  # the first step: the rows are made as claim and the projector make them
            return self.claim(connection, name), self.projection_state(connection, projection)
        state = dict(row._mapping)
        return state.pop("checkpoint"), _state(state)

    def save_projection_state(self, connection: Connection, name: str, **values) -> None:
        """Change some of a projection's state (see ProjectionState for the names)."""
        table = self.states_table
        if not connection.execute(update(table).where(table.c.name == name).values(**values)).rowcount:
            connection.execute(insert(table).values(name=name, **{"attempts": 0, **values}))

    def failing_projections(self, connection: Connection) -> dict[str, dict]:
        table = self.states_table
        rows = connection.execute(select(table).where(table.c.failing_since.is_not(None)).order_by(table.c.name))
        return {row.name: _state(row._mapping).report() for row in rows}


def _state(row) -> ProjectionState:
    values = {key: value for key, value in row.items() if key != "name"}
    for moment in ("failing_since", "next_try"):
        values[moment] = values[moment] and as_utc(values[moment])
    return ProjectionState(**values)


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
