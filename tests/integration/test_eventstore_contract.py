"""The event store's contract, run on SQLite and on PostgreSQL alike."""
import threading

import pytest
from sqlalchemy import MetaData

from shared.database import create_tables, make_engine
from shared.eventstore import ConcurrencyError, EventStore, NewFact

pytestmark = pytest.mark.real_server


@pytest.fixture
def store_and_engine(database_url):
    metadata = MetaData()
    store = EventStore(metadata, upcasters={("Renamed", 1): lambda d: {"name": d["old_name"]}})
    engine = make_engine(database_url)
    create_tables(engine, metadata)
    yield store, engine
    engine.dispose()


def facts(*labels):
    return [NewFact("Happened", {"label": label}) for label in labels]


def test_appended_facts_are_read_back_in_order_with_versions_and_metadata(store_and_engine):
    store, engine = store_and_engine
    with engine.begin() as db:
        store.append(db, "s-1", 0, facts("a", "b"), {"correlation_id": "c-1"})
        store.append(db, "s-2", 0, facts("x"))
        store.append(db, "s-1", 2, facts("c"))
    with engine.connect() as db:
        stream = store.read_stream(db, "s-1")
        everything = store.read_after(db, 0)
    assert [(f.version, f.data["label"]) for f in stream] == [(1, "a"), (2, "b"), (3, "c")]
    assert stream[0].metadata == {"correlation_id": "c-1"}
    assert [f.data["label"] for f in everything] == ["a", "b", "x", "c"]
    assert [f.position for f in everything] == sorted(f.position for f in everything)
    assert all(f.recorded_at.tzinfo is not None for f in everything)


def test_a_stale_expected_version_is_a_conflict_and_writes_nothing(store_and_engine):
    store, engine = store_and_engine
    with engine.begin() as db:
        store.append(db, "s-1", 0, facts("a"))
    for stale in (0, 2):
        with pytest.raises(ConcurrencyError):
            with engine.begin() as db:
                store.append(db, "s-1", stale, facts("late", "later"))
    with engine.connect() as db:
        assert [f.data["label"] for f in store.read_stream(db, "s-1")] == ["a"]


def test_read_after_pages_through_the_log(store_and_engine):
    store, engine = store_and_engine
    with engine.begin() as db:
        for i in range(7):
            store.append(db, f"s-{i}", 0, facts(str(i)))
    with engine.connect() as db:
        first = store.read_after(db, 0, limit=3)
        rest = store.read_after(db, first[-1].position, limit=10)
        assert store.last_position(db) == rest[-1].position
    assert [f.data["label"] for f in first + rest] == [str(i) for i in range(7)]


def test_old_schema_versions_are_upcast_when_read_never_rewritten(store_and_engine):
    store, engine = store_and_engine
    with engine.begin() as db:
        store.append(db, "s-1", 0, [NewFact("Renamed", {"old_name": "v1"}, schema_version=1)])
    with engine.connect() as db:
        fact, = store.read_stream(db, "s-1")
        raw = db.execute(store.table.select()).one()
    assert (fact.schema_version, fact.data) == (2, {"name": "v1"})
    assert raw.schema_version == 1 and "old_name" in raw.data


def test_concurrent_writers_one_wins_each_version_and_nothing_is_overwritten(store_and_engine):
    store, engine = store_and_engine
    writers, rounds = 8, 15
    barrier = threading.Barrier(writers)
    wins, conflicts, errors = [], [], []

    def writer(number):
        for version in range(rounds):
            barrier.wait()
            try:
                with engine.begin() as db:
                    store.append(db, "contested", version, facts(f"w{number}-v{version + 1}"))
                wins.append(f"w{number}-v{version + 1}")
            except ConcurrencyError:
                conflicts.append(number)
            except Exception as error:  # anything else is a failure of the contract
                errors.append(error)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with engine.connect() as db:
        stream = store.read_stream(db, "contested")
    assert errors == []
    assert len(wins) == rounds and len(conflicts) == rounds * (writers - 1)
    assert [f.version for f in stream] == list(range(1, rounds + 1))
    assert sorted(f.data["label"] for f in stream) == sorted(wins)
