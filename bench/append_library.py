"""append-library: one fact per transaction through the event store (its append lock, version check
and position), against the eventsourcing library's PostgreSQL recorder saving one event per
transaction (it locks the table on every save)."""
from bench.common import COUNT, Compared, Database, timed
from bench.library import library_recorder, save_each
from bench.store import StoreDatabase


def measure() -> list:
    with StoreDatabase() as db:
        ours = timed(lambda: db.append_each("a", COUNT))
    with Database() as db, library_recorder(db) as recorder:
        baseline = timed(lambda: save_each(recorder, COUNT))
    return [Compared("append vs library", "facts/s", COUNT / ours, COUNT / baseline,
                     "eventsourcing recorder", goal=2.0)]
