"""Projections: read tables derived from the log, each with its own checkpoint and version.

A projection says which fact types it handles and how each changes its tables. The projector feeds
it the facts after its checkpoint a batch at a time, and its appliers change the batch's rows in
memory (shared.batch_rows); the rows are written, and the checkpoint moved, in one transaction at
the batch's end, so a read table is always exactly "the log up to N", and a batch costs a few
statements whatever its size. Catching up and replaying run the same appliers; a rebuild replays
in bigger batches.

Read tables need no migrations: whoever changes a projection's tables bumps its version. The
projector, finding another version stored beside the checkpoint (or none), drops and creates the
tables, rewinds the checkpoint and replays the log, with the checkpoint row locked, so that a
second projector running at once waits and then finds the work done.

Each projection advances on its own: one whose applier raises stays at its checkpoint, is recorded
as failing (by name, with the position and the error's type) and is tried again with doubling
back-off while the others go on; once the cause is fixed it resumes where it stopped.
"""
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Callable

from sqlalchemy import Connection, Engine, MetaData

from shared import metrics
from shared.batch_rows import Rows
from shared.checkpoints import FAILURE_CLEARED, Checkpoints, ProjectionState
from shared.eventstore import EventStore, RecordedFact
from shared.leadership import Leadership
from shared.logs import fields
from shared.timefmt import utc_now

log = logging.getLogger(__name__)

Apply = Callable[[Rows, RecordedFact], None]
FIRST_RETRY, LAST_RETRY = timedelta(seconds=1), timedelta(minutes=5)


@dataclass
class Projection:
    name: str
    metadata: MetaData  # the projection's own tables, apart from the service's log
    appliers: dict[str, Apply]
    version: int = 1  # bump it when the tables change: the projector rebuilds them from the log

    @property
    def checkpoint_name(self) -> str:
        return f"projection:{self.name}"


class FactNotApplied(Exception):
    """An applier raised on the fact at this position; the applier's error is the cause."""

    def __init__(self, position: int):
        super().__init__(f"the fact at position {position} could not be applied")
        self.position = position


def retry_delay(attempts: int) -> timedelta:
    """1 s after the first failure, doubling, never more than 5 minutes."""
    return min(LAST_RETRY, FIRST_RETRY * 2 ** min(attempts - 1, 16))


class Projector:
    name = "projector"

    def __init__(self, engine: Engine, store: EventStore, checkpoints: Checkpoints,
                 projections: list[Projection], batch_size: int = 500, replay_batch_size: int = 5000,
                 clock: Callable[[], datetime] = utc_now):
        self.engine, self.store, self.checkpoints = engine, store, checkpoints
        self.projections, self.clock = projections, clock
        self.batch_size, self.replay_batch_size = batch_size, max(batch_size, replay_batch_size)
        self.leadership = Leadership(engine, self.name)
        self._tried: set[str] = set()  # the projections this projector has tried since it started

    def step(self) -> int:
        if not self.leadership.held():
            return 0
        return sum(self._step(projection) for projection in self.projections)

    def catch_up(self) -> None:
        """Step until no projection has anything left it can apply (a failing one waits its turn)."""
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
            self._reset(db, projection)
        if not self.leadership.held():
            return None
        replayed = 0
        while done := self._advance(projection, self.replay_batch_size):
            replayed += done
        self.leadership.release()
        log.info("projection rebuilt", extra=fields(projection=name, facts=replayed))
        return replayed

    def _step(self, projection: Projection) -> int:
        """Advance one projection; its failure is recorded against it alone, for a later retry.
        Should the record fail too (the database is down), that error ends the step for all."""
        try:
            return self._advance(projection, self.batch_size)
        except Exception as error:
            self._record_failure(projection, error)
            return 0

    def _advance(self, projection: Projection, batch_size: int) -> int:
        with self.engine.begin() as db:
            # the checkpoint's row lock fences other projectors
            start, state = self.checkpoints.claim_projection(db, projection.checkpoint_name, projection.name)
            if not self._due(projection, state):
                return 0
            if state.version != projection.version:
                start = self._reset(db, projection)
            facts = self.store.read_after(db, start, batch_size)
            self._apply(db, projection, facts)
            if facts:
                self.checkpoints.set(db, projection.checkpoint_name, facts[-1].position)
            if state.failing_since:
                self.checkpoints.save_projection_state(db, projection.name, **FAILURE_CLEARED)
                log.info("projection resumed", extra=fields(projection=projection.name, after=start))
        metrics.FACTS_PROJECTED.labels(projection.name).inc(len(facts))
        return len(facts)

    def _due(self, projection: Projection, state: ProjectionState) -> bool:
        """A failing projection waits for its next try, except once when this projector starts:
        a new release may well be the fix."""
        first = projection.name not in self._tried
        self._tried.add(projection.name)
        return first or not state.next_try or state.next_try <= self.clock()

    @staticmethod
    def _apply(db: Connection, projection: Projection, facts: list[RecordedFact]) -> None:
        """Apply the batch's facts to its rows in memory, then write them. An applier's error names
        its fact; an error in the writing (a row inserted twice, say) names none: the batch is
        recorded as failing at the checkpoint it started from."""
        rows = Rows(db)
        for fact in facts:
            if apply := projection.appliers.get(fact.type):
                try:
                    apply(rows, fact)
                except Exception as error:
                    raise FactNotApplied(fact.position) from error
        rows.write()

    def _reset(self, db: Connection, projection: Projection) -> int:
        """Empty the tables as this version declares them and rewind to the log's start; the
        caller holds the checkpoint row. Returns the new checkpoint."""
        projection.metadata.drop_all(db)
        projection.metadata.create_all(db)
        self.checkpoints.set(db, projection.checkpoint_name, 0)
        self.checkpoints.save_projection_state(db, projection.name, version=projection.version, **FAILURE_CLEARED)
        log.info("projection emptied; replaying the log",
                 extra=fields(projection=projection.name, version=projection.version))
        return 0

    def _record_failure(self, projection: Projection, error: Exception) -> None:
        cause = error.__cause__ if isinstance(error, FactNotApplied) else error
        now = self.clock()
        with self.engine.begin() as db:
            state = self.checkpoints.projection_state(db, projection.name)
            position = (error.position if isinstance(error, FactNotApplied)
                        else self.checkpoints.get(db, projection.checkpoint_name))
            attempts = state.attempts + 1
            self.checkpoints.save_projection_state(
                db, projection.name, failing_since=state.failing_since or now, attempts=attempts,
                position=position, error=type(cause).__name__, next_try=now + retry_delay(attempts))
        log.error("projection failed; the others go on, it is tried again later", exc_info=cause,
                  extra=fields(projection=projection.name, position=position, error=type(cause).__name__,
                               attempts=attempts, retry_in=retry_delay(attempts).total_seconds()))
