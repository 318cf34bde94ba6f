"""Snapshots: an aggregate's state at a version, so that loading it replays only what came after.

Derived data, like a read table: a snapshot can be deleted at any time and the stream still holds
the truth. Each aggregate that takes snapshots names its snapshot schema; change what its state holds
or how a fact changes it, and bump that number: older snapshots are then ignored.
"""
import json
from dataclasses import dataclass

from sqlalchemy import Column, Connection, Integer, MetaData, String, Table, Text, delete, insert, select


@dataclass(frozen=True)
class Snapshot:
    version: int
    state: dict


class Snapshots:
    def __init__(self, metadata: MetaData):
        self.table = Table("snapshots", metadata,
                           Column("stream_id", String(200), primary_key=True),
                           Column("version", Integer, nullable=False),
                           Column("schema", Integer, nullable=False),
                           Column("state", Text, nullable=False))

    def load(self, connection: Connection, stream_id: str, schema: int) -> Snapshot | None:
        row = connection.execute(select(self.table).where(self.table.c.stream_id == stream_id,
                                                          self.table.c.schema == schema)).first()
        return Snapshot(row.version, json.loads(row.state)) if row else None

    def save(self, connection: Connection, stream_id: str, version: int, schema: int, state: dict) -> None:
        connection.execute(delete(self.table).where(self.table.c.stream_id == stream_id))
        connection.execute(insert(self.table).values(stream_id=stream_id, version=version, schema=schema,
                                                     state=json.dumps(state)))
