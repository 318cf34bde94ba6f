"""Two projectors at once (a leader whose lock was lost mid-batch, say) apply each fact once, a
rebuild while one runs loses nothing, and two starting on a new version rebuild it once: the
checkpoint row fences them, whatever the leadership says."""
import logging
import threading
import time

import pytest
from sqlalchemy import Column, Integer, MetaData, Table, select

from shared.checkpoints import Checkpoints
from shared.database import create_tables, make_engine
from shared.eventstore import EventStore, NewFact
from shared.projections import Projection, Projector

pytestmark = pytest.mark.real_server
FACTS = 30


@pytest.fixture
def world(postgres_url):
    metadata, read_metadata = MetaData(), MetaData()
    store, checkpoints = EventStore(metadata), Checkpoints(metadata)
    seen = Table("seen", read_metadata, Column("number", Integer))  # no key: a double apply would show
    engine = make_engine(postgres_url)
    create_tables(engine, metadata)
    create_tables(engine, read_metadata)

    def apply(rows, fact):
        time.sleep(0.002)  # widen the window in which two projectors could overlap
        rows.insert(seen, number=fact.data["number"])

    with engine.begin() as db:
        for number in range(FACTS):
            store.append(db, f"s-{number}", 0, [NewFact("Happened", {"number": number})])

    def projector(version: int = 1):
        projection = Projection("seen", read_metadata, {"Happened": apply}, version=version)
        made = Projector(engine, store, checkpoints, [projection], batch_size=4)
        made.leadership.held = lambda: True  # as if each believed it led
        return made

    def numbers():
        with engine.connect() as db:
            return sorted(db.execute(select(seen.c.number)).scalars())

    yield projector, numbers
    engine.dispose()


def run_together(*work):
    threads = [threading.Thread(target=w) for w in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def test_two_projectors_at_once_apply_each_fact_once(world):
    projector, numbers = world
    run_together(projector().catch_up, projector().catch_up)
    assert numbers() == list(range(FACTS))


def test_a_rebuild_while_a_projector_runs_loses_nothing(world):
    projector, numbers = world
    running, rebuilder = projector(), projector()
    run_together(running.catch_up, lambda: rebuilder.rebuild("seen"))
    running.catch_up()
    assert numbers() == list(range(FACTS))


def test_two_projectors_starting_on_a_new_version_rebuild_it_once_and_apply_each_fact_once(world, caplog):
    projector, numbers = world
    caplog.set_level(logging.INFO, logger="shared.projections")
    projector(version=1).catch_up()
    caplog.clear()
    run_together(projector(version=2).catch_up, projector(version=2).catch_up)
    assert numbers() == list(range(FACTS))
    assert [r.message for r in caplog.records].count("projection emptied; replaying the log") == 1
