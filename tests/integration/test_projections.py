"""Each projection on its own, on SQLite and PostgreSQL alike: one that fails waits, with doubling
back-off, while the others go on, and resumes where it stopped; one whose version changed rebuilds
its tables from the log by itself."""
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, select

from shared.checkpoints import Checkpoints
from shared.database import create_tables, make_engine
from shared.eventstore import EventStore, NewFact
from shared.projections import Projection, Projector
from tests.support.clock import Clock

pytestmark = pytest.mark.real_server
FACTS = 12
BROKEN = 5  # the number the faulty applier cannot take


def counting(name: str, version: int = 1, fault: set[int] | None = None) -> Projection:
    """Writes each fact's number into <name>_view (no key, so a fact applied twice shows); from
    version 2 on, with its square in a new column. Raises on the numbers in fault."""
    metadata = MetaData()
    squares = [Column("square", Integer, nullable=False)] if version > 1 else []
    table = Table(f"{name}_view", metadata, Column("number", Integer), *squares)

    def apply(rows, fact):
        number = fact.data["number"]
        if number in (fault or set()):
            raise ValueError(f"cannot take {number}")
        rows.insert(table, number=number, **({"square": number ** 2} if squares else {}))
    return Projection(name, metadata, {"Counted": apply}, version=version)


class Process:
    """One process of a service: its own engine and table definitions, on the shared database."""

    def __init__(self, url: str, clock: Clock):
        self.engine, self.clock, metadata = make_engine(url), clock, MetaData()
        self.store, self.checkpoints = EventStore(metadata), Checkpoints(metadata)
        create_tables(self.engine, metadata)

    def projector(self, *projections: Projection) -> Projector:
        for projection in projections:
            create_tables(self.engine, projection.metadata)  # as a service's bootstrap does
        return Projector(self.engine, self.store, self.checkpoints, list(projections), batch_size=4,
                         clock=self.clock)

    def run_once(self, *projections: Projection) -> None:
        """Start a projector, catch up, and stop (handing on the lead, on PostgreSQL)."""
        projector = self.projector(*projections)
        try:
            projector.catch_up()
        finally:
            projector.close()

    def count(self, numbers) -> None:
        with self.engine.begin() as db:
            for number in numbers:
                self.store.append(db, f"n-{number}", 0, [NewFact("Counted", {"number": number})])

    def rows(self, name: str) -> list[tuple]:
        with self.engine.connect() as db:
            table = Table(f"{name}_view", MetaData(), autoload_with=db)
            return sorted(tuple(row) for row in db.execute(select(table)))

    def failing(self) -> dict:
        with self.engine.connect() as db:
            return self.checkpoints.failing_projections(db)

    def position_of(self, number: int) -> int:
        with self.engine.connect() as db:
            return next(f.position for f in self.store.read_after(db, 0, FACTS) if f.data["number"] == number)


@pytest.fixture
def processes(database_url):
    clock, made = Clock(datetime(2030, 11, 1, 9, tzinfo=timezone.utc)), []

    def start() -> Process:
        made.append(Process(database_url, clock))
        return made[-1]
    yield start
    for process in made:
        process.engine.dispose()


def test_a_failing_projection_waits_while_the_others_go_on_then_resumes_as_if_rebuilt(processes):
    process, fault = processes(), {BROKEN}
    process.count(range(FACTS))
    projector = process.projector(counting("mail", fault=fault), counting("tally"))  # the faulty one first
    projector.catch_up()
    assert process.rows("tally") == [(n,) for n in range(FACTS)], "the other projection caught up"
    assert process.rows("mail") == [(n,) for n in range(4)], "the batch with the broken fact was undone"
    failure = process.failing()["mail"]
    assert (failure["position"], failure["error"], failure["attempts"]) == (process.position_of(BROKEN),
                                                                            "ValueError", 1)
    assert failure["next_try"] == (process.clock() + timedelta(seconds=1)).isoformat()

    for wait, attempts in ((0, 1), (1, 2), (1, 2), (1, 3)):  # tried after 1 s, then 2 s, then 4 s
        process.clock.move(seconds=wait)
        projector.step()
        assert process.failing()["mail"]["attempts"] == attempts

    fault.clear()  # the fix, in the same process: it waits for the next try
    projector.step()
    assert process.failing(), "not yet due"
    process.clock.move(seconds=4)
    projector.catch_up()
    assert process.failing() == {}
    resumed = process.rows("mail")
    numbers = [n for (n,) in resumed]
    print(f"facts {FACTS}, applied {len(numbers)}, lost {len(set(range(FACTS)) - set(numbers))}, "
          f"duplicated {len(numbers) - len(set(numbers))}")
    assert resumed == [(n,) for n in range(FACTS)], "nothing lost, nothing applied twice"
    projector.rebuild("mail")
    assert process.rows("mail") == resumed


def test_a_new_release_tries_a_failing_projection_at_once(processes):
    process = processes()
    process.count(range(FACTS))
    process.run_once(counting("mail", fault={BROKEN}))
    assert process.failing()["mail"]["attempts"] == 1

    processes().run_once(counting("mail"))  # the fix: no waiting out the back-off
    assert (process.failing(), process.rows("mail")) == ({}, [(n,) for n in range(FACTS)])


def test_a_version_bump_rebuilds_the_changed_tables_by_itself(processes):
    first = processes()
    first.count(range(FACTS))
    first.run_once(counting("tally"))
    assert first.rows("tally") == [(n,) for n in range(FACTS)]

    processes().run_once(counting("tally", version=2))  # the next release: a new column
    assert first.rows("tally") == [(n, n * n) for n in range(FACTS)]

    first.count([FACTS])
    processes().run_once(counting("tally", version=2))  # same version: carries on, no replay
    assert first.rows("tally") == [(n, n * n) for n in range(FACTS + 1)]
