"""consumer: messages handled by the worker, each in a transaction that writes its inbox row (the
handler itself does nothing more), against raw kombu consuming the same messages with manual acks
and no work; same quorum queue, same prefetch."""
import json
import time
import uuid
from datetime import datetime, timezone

from kombu import Connection, Consumer as KombuConsumer
from sqlalchemy import MetaData

from shared.confirms import ConfirmedPublisher
from shared.consumer import Consumer, Inbox, Liveness
from shared.contracts import envelope
from shared.contracts.registration import ACTIVITY_OPENED
from shared.database import create_tables, make_engine
from shared.topology import Topology

from bench.common import COUNT, RABBITMQ, Compared, Database

SERVICE, PREFETCH, DEADLINE = "content", 100, 120.0


def measure() -> list:
    topology = Topology(f"bench-{uuid.uuid4().hex[:8]}")
    with Database() as db, Connection(RABBITMQ) as connection:
        topology.declare_consumer(connection, SERVICE, [ACTIVITY_OPENED.name])
        try:
            _publish(topology, COUNT)
            baseline = _consume_raw(topology, COUNT)
            _publish(topology, COUNT)
            ours = _consume_with_worker(topology, db.url, COUNT)
        finally:
            topology.remove(connection, services=(SERVICE,))
    return [Compared("consumer", "messages/s", COUNT / ours, COUNT / baseline, "raw kombu, manual ack, no work", goal=0.3)]


def _publish(topology: Topology, count: int) -> None:
    with Connection(RABBITMQ) as connection:
        publisher = ConfirmedPublisher(connection, topology.facts, confirm_timeout=30)
        properties = {"routing_key": ACTIVITY_OPENED.name, "delivery_mode": 2, "content_type": "application/json"}
        for start in range(0, count, 500):
            publisher.publish_all([(json.dumps(_message()), properties) for _ in range(min(500, count - start))])


def _message() -> dict:
    payload = {"activity_id": str(uuid.uuid4()), "title": "Bench activity", "summary": "", "organiser": "Bench",
               "starts_at": "2030-11-18T10:00:00+00:00", "ends_at": "2030-11-18T12:00:00+00:00",
               "attendance": "online", "venue": "", "region": "Online", "capacity": 5}
    return envelope(ACTIVITY_OPENED, payload, "registration", message_id=str(uuid.uuid4()),
                    occurred_at=datetime.now(timezone.utc), correlation_id="bench")


def _consume_raw(topology: Topology, count: int) -> float:
    handled = 0

    def on_message(message):
        nonlocal handled
        handled += 1
        message.ack()

    with Connection(RABBITMQ) as connection:
        consumer = KombuConsumer(connection.default_channel, queues=[topology.queues(SERVICE).main],
                            on_message=on_message, prefetch_count=PREFETCH)
        consumer.consume()
        return _until(count, lambda: _drain(connection) or handled)


def _drain(connection) -> None:
    try:
        connection.drain_events(timeout=1)
    except TimeoutError:
        pass


def _consume_with_worker(topology: Topology, url: str, count: int) -> float:
    metadata = MetaData()
    inbox, liveness = Inbox(metadata), Liveness(metadata)
    engine = make_engine(url)
    create_tables(engine, metadata)
    worker = Consumer(SERVICE, engine, inbox, liveness, RABBITMQ, topology,
                      {ACTIVITY_OPENED.name: lambda _db, _m: None}, prefetch_count=PREFETCH)
    handled = 0

    def step():
        nonlocal handled
        handled += worker.step()
        return handled
    try:
        return _until(count, step)
    finally:
        worker.close()
        engine.dispose()


def _until(count: int, progress) -> float:
    """Seconds until progress() reaches count; bounded by DEADLINE."""
    started = time.perf_counter()
    while progress() < count:
        if time.perf_counter() - started > DEADLINE:
            raise RuntimeError(f"fewer than {count} messages consumed within {DEADLINE:.0f}s")
    return time.perf_counter() - started
