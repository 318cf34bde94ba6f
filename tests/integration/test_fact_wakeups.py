"""On PostgreSQL every append asks, at its commit, for the log's followers to wake (NOTIFY on
FACTS_CHANNEL): the relay and the projector wait for that rather than looking every so often."""
import threading

import pytest
from sqlalchemy import MetaData

from shared.database import create_tables, make_engine
from shared.eventstore import FACTS_CHANNEL, EventStore, NewFact
from shared.listening import Listener

pytestmark = pytest.mark.real_server
BOUND = 10.0  # seconds: a bound on waiting, never a measure of speed


@pytest.fixture
def store_and_listener(postgres_url):
    metadata = MetaData()
    store = EventStore(metadata)
    engine = make_engine(postgres_url)
    create_tables(engine, metadata)
    listener = Listener(engine, FACTS_CHANNEL)
    listener.listen()
    yield engine, store, listener
    listener.close()
    engine.dispose()


def news(listener) -> list:
    return list(listener._connection.notifies(timeout=0.5, stop_after=1))


def test_a_committed_append_wakes_the_followers_and_a_rolled_back_one_does_not(store_and_listener):
    engine, store, listener = store_and_listener
    with pytest.raises(RuntimeError):
        with engine.begin() as db:
            store.append(db, "stream-1", 0, [NewFact("Happened", {"n": 1})])
            raise RuntimeError("rolled back")
    assert news(listener) == []
    with engine.begin() as db:
        store.append(db, "stream-1", 0, [NewFact("Happened", {"n": 1})])
    assert [note.channel for note in news(listener)] == [FACTS_CHANNEL]


def test_a_follower_waiting_for_news_wakes_for_a_burst_once(store_and_listener):
    engine, store, listener = store_and_listener
    for version in range(3):
        with engine.begin() as db:
            store.append(db, "stream-2", version, [NewFact("Happened", {"n": version})])
    listener.wait_for_news(BOUND, threading.Event())  # returns with the burst's first notification
    assert news(listener) == [], "the rest of the burst was taken with it"
