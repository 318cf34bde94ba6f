"""How far each follower of the log (the relay, each projection) has got, by position.

Followers fence each other through their checkpoint row, whatever the leadership lock says: a
projector reads its checkpoint with a row lock (claim) and moves it in the same transaction, and the
relay moves its checkpoint only from where it read it (advance), so two instances running at once
can never apply a batch twice or move a checkpoint backwards.
"""
from sqlalchemy import BigInteger, Column, Connection, MetaData, String, Table, insert, select, update
from sqlalchemy.exc import IntegrityError


class Checkpoints:
    def __init__(self, metadata: MetaData):
        self.table = Table("checkpoints", metadata,
                           Column("name", String(100), primary_key=True),
                           Column("position", BigInteger, nullable=False))

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
