"""How far each follower of the log (the relay, each projection) has got, by position, and the
facts it had to step over (set aside, with the reason, for an admin: never silently).

Followers fence each other through their checkpoint row, whatever the leadership lock says: a
projector reads its checkpoint with a row lock (claim) and moves it in the same transaction, and the
relay moves its checkpoint only from where it read it (advance), so two instances running at once
can never apply a batch twice or move a checkpoint backwards.
"""
from datetime import datetime, timezone

from sqlalchemy import (BigInteger, Column, Connection, DateTime, MetaData, String, Table, func, insert, select,
                        update)
from sqlalchemy.exc import IntegrityError


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
