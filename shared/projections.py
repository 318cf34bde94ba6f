"""Projections: read tables derived from the log, each with its own checkpoint.

A projection says which fact types it handles and how each changes its tables. The projector feeds
it every fact after its checkpoint and moves the checkpoint in the same transaction, so a read
table is always exactly "the log up to N". Rebuilding drops the tables, resets the checkpoint and
replays the log: read tables need no migrations.
"""
import logging
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import Connection, Engine, MetaData

from shared import metrics
from shared.checkpoints import Checkpoints
from shared.eventstore import EventStore, RecordedFact
from shared.leadership import Leadership
from shared.logs import fields

log = logging.getLogger(__name__)

Apply = Callable[[Connection, RecordedFact], None]


@dataclass
class Projection:
    name: str
    metadata: MetaData  # the projection's own tables, apart from the service's log
    appliers: dict[str, Apply]

    @property
    def checkpoint_name(self) -> str:
        return f"projection:{self.name}"


class Projector:
    name = "projector"

    def __init__(self, engine: Engine, store: EventStore, checkpoints: Checkpoints,
                 projections: list[Projection], batch_size: int = 500):
        self.engine, self.store, self.checkpoints = engine, store, checkpoints
        self.projections, self.batch_size = projections, batch_size
        self.leadership = Leadership(engine, self.name)

    def step(self) -> int:
        if not self.leadership.held():
            return 0
        return sum(self._advance(projection) for projection in self.projections)

    def catch_up(self) -> None:
        while self.step():
            pass

    def close(self) -> None:
        self.leadership.release()

    def rebuild(self, name: str) -> int | None:
        """Empty the read tables and rewind the checkpoint in one transaction, then replay the log.
        Returns how many facts were replayed, or None when a projector running elsewhere leads and
        will replay them itself."""
        projection = next(p for p in self.projections if p.name == name)
        with self.engine.begin() as db:
            self.checkpoints.claim(db, projection.checkpoint_name)  # waits for a projector mid-batch
            projection.metadata.drop_all(db)
            projection.metadata.create_all(db)
            self.checkpoints.set(db, projection.checkpoint_name, 0)
        if not self.leadership.held():
            return None
        replayed = 0
        while done := self._advance(projection):
            replayed += done
        self.leadership.release()
        log.info("projection rebuilt", extra=fields(projection=name, facts=replayed))
        return replayed

    def _advance(self, projection: Projection) -> int:
        with self.engine.begin() as db:
            start = self.checkpoints.claim(db, projection.checkpoint_name)
            facts = self.store.read_after(db, start, self.batch_size)
            for fact in facts:
                if apply := projection.appliers.get(fact.type):
                    apply(db, fact)
            if facts:
                self.checkpoints.set(db, projection.checkpoint_name, facts[-1].position)
        metrics.FACTS_PROJECTED.labels(projection.name).inc(len(facts))
        return len(facts)
