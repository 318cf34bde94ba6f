"""An event store in a database of the bench's own, beside a bare table for the baselines."""
import json

from sqlalchemy import Column, Integer, MetaData, String, Table, insert

from shared.checkpoints import Checkpoints
from shared.database import create_tables, make_engine
from shared.eventstore import EventStore, NewFact

from bench.common import Database


class StoreDatabase(Database):
    def __init__(self):
        super().__init__()
        self.metadata = MetaData()
        self.store = EventStore(self.metadata)
        self.checkpoints = Checkpoints(self.metadata)
        self.bare = Table("bare", self.metadata, Column("id", Integer, primary_key=True),
                          Column("stream_id", String(200)), Column("data", String(2000)))
        self.engine = make_engine(self.url)
        create_tables(self.engine, self.metadata)

    def append_each(self, prefix: str, count: int) -> None:
        """`count` new streams of one fact, one transaction each."""
        for i in range(count):
            with self.engine.begin() as connection:
                self.store.append(connection, f"{prefix}{i}", 0, [NewFact("Happened", {"i": i})])

    def insert_each(self, prefix: str, count: int) -> None:
        for i in range(count):
            with self.engine.begin() as connection:
                connection.execute(insert(self.bare).values(stream_id=f"{prefix}{i}", data=json.dumps({"i": i})))

    def drop(self):
        self.engine.dispose()
        super().drop()
