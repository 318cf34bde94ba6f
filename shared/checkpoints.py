"""How far each follower of the log (the relay, each projection) has got, by position."""
from sqlalchemy import BigInteger, Column, Connection, MetaData, String, Table, insert, select, update


class Checkpoints:
    def __init__(self, metadata: MetaData):
        self.table = Table("checkpoints", metadata,
                           Column("name", String(100), primary_key=True),
                           Column("position", BigInteger, nullable=False))

    def get(self, connection: Connection, name: str) -> int:
        query = select(self.table.c.position).where(self.table.c.name == name)
        return connection.execute(query).scalar() or 0

    def all(self, connection: Connection) -> dict[str, int]:
        return dict(connection.execute(select(self.table.c.name, self.table.c.position)).all())

    def set(self, connection: Connection, name: str, position: int) -> None:
        changed = connection.execute(update(self.table).where(self.table.c.name == name)
                                     .values(position=position)).rowcount
        if not changed:
            connection.execute(insert(self.table).values(name=name, position=position))
