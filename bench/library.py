"""The eventsourcing library's PostgreSQL application recorder, in a bench database: the baseline
of the event store's append and of the projection rebuild."""
import json
import uuid
from contextlib import contextmanager

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from sqlalchemy.engine import make_url

from bench.common import Database

TOPIC = "bench:Happened"
PAGE = 500  # as many as the projector reads at a time


@contextmanager
def library_recorder(db: Database):
    url = make_url(db.url)
    datastore = PostgresDatastore(url.database, url.host or "127.0.0.1", url.port or 5432, url.username or "postgres",
                                  url.password or "", pool_size=1)
    try:
        recorder = PostgresApplicationRecorder(datastore)
        recorder.create_table()
        yield recorder
    finally:
        datastore.close()


def event(i: int, data: dict | None = None) -> StoredEvent:
    return StoredEvent(originator_id=uuid.uuid4(), originator_version=1, topic=TOPIC,
                       state=json.dumps(data if data is not None else {"i": i}).encode())


def save_each(recorder: PostgresApplicationRecorder, count: int) -> None:
    """One event per transaction, as the event store's append benchmark does with facts."""
    for i in range(count):
        recorder.insert_events([event(i)])


def save_in_pages(recorder: PostgresApplicationRecorder, states: list[dict]) -> None:
    for start in range(0, len(states), PAGE):
        recorder.insert_events([event(i, data) for i, data in enumerate(states[start:start + PAGE], start)])


def read_all(recorder: PostgresApplicationRecorder) -> int:
    """Read the whole notification log a page at a time; return how many notifications."""
    count, start = 0, 1
    while notifications := recorder.select_notifications(start, PAGE):
        count += len(notifications)
        start = notifications[-1].id + 1
    return count
