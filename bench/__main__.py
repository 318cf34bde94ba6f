"""Benchmarks: `make bench`. Each prints the project's figure beside a baseline measured in the same
run on the same servers, and their ratio. Loopback only, bounded in count.

  append   one fact per transaction through the event store, against a bare INSERT + commit
  writers  8 threads appending at once (the append lock serialises them), against 8 bare inserters
  register registrations for an activity that already has 1,000, against the first 50 of a new
           one (snapshots keep the first from replaying a long stream)
  relay    facts published by the relay (confirms awaited per batch), against kombu awaiting
           the confirm of each message
           to the same exchange and quorum queue; a ratio above 1 is faster than the baseline
"""
import json
import os
import sys
import tempfile
import threading
import time
import uuid
from datetime import datetime, timedelta, timezone

from kombu import Connection, Producer
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, text

from shared.actors import Actor
from shared.checkpoints import Checkpoints
from shared.contracts.registration import ActivityDetails
from shared.database import create_tables, make_engine
from shared.eventstore import EventStore, NewFact
from shared.relay import Relay
from shared.settings import load
from shared.topology import Topology

from registration.bootstrap import bootstrap
from registration.domain.commands import DraftActivity, Register

BENCH = Actor.system("bench")

POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
RABBITMQ = os.environ.get("BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")
COUNT = int(os.environ.get("BENCH_COUNT", "2000"))


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def report(name: str, count: int, ours: float, baseline: float) -> None:
    print(f"{name:8} {count / ours:9.0f}/s   baseline {count / baseline:9.0f}/s   ratio {baseline / ours:5.2f}")


class Database:
    def __init__(self):
        self.name = f"bench_{uuid.uuid4().hex[:10]}"
        self.admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as db:
            db.execute(text(f'CREATE DATABASE "{self.name}"'))
        self.url = POSTGRES.rsplit("/", 1)[0] + "/" + self.name
        self.metadata = MetaData()
        self.store = EventStore(self.metadata)
        self.checkpoints = Checkpoints(self.metadata)
        self.bare = Table("bare", self.metadata, Column("id", Integer, primary_key=True),
                          Column("stream_id", String(200)), Column("data", String(2000)))
        self.engine = make_engine(self.url)
        create_tables(self.engine, self.metadata)

    def drop(self):
        self.engine.dispose()
        with self.admin.connect() as db:
            db.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))


def bench_append(db: Database) -> None:
    def bare(prefix, count):
        for i in range(count):
            with db.engine.begin() as connection:
                connection.execute(insert(db.bare).values(stream_id=f"{prefix}{i}", data=json.dumps({"i": i})))

    def ours(prefix, count):
        for i in range(count):
            with db.engine.begin() as connection:
                db.store.append(connection, f"{prefix}{i}", 0, [NewFact("Happened", {"i": i})])

    report("append", COUNT, timed(lambda: ours("a", COUNT)), timed(lambda: bare("a", COUNT)))

    def in_threads(work):
        threads = [threading.Thread(target=work, args=(f"t{n}-", COUNT // 8)) for n in range(8)]
        return lambda: ([t.start() for t in threads], [t.join() for t in threads])

    report("writers", COUNT // 8 * 8, timed(in_threads(ours)), timed(in_threads(bare)))


def bench_relay(db: Database) -> None:
    namespace = f"bench-{uuid.uuid4().hex[:8]}"
    topology = Topology(namespace)
    relay = Relay(db.engine, db.store, db.checkpoints, RABBITMQ, topology,
                  lambda _db, fact: [{"id": str(uuid.uuid4()), "type": "registration.activity.opened",
                                      "correlation_id": "bench", "payload": fact.data}])
    try:
        with Connection(RABBITMQ, transport_options={"confirm_publish": True}) as connection:
            topology.declare(connection)  # the same exchange and (quorum) queues the relay feeds
            producer = Producer(connection.channel(), exchange=topology.facts)
            body = json.dumps({"payload": {"i": 0}})

            def baseline():
                for _ in range(COUNT):
                    producer.publish(body, routing_key="registration.activity.opened", delivery_mode=2)
            baseline_seconds = timed(baseline)

        with db.engine.connect() as connection:
            facts = db.store.last_position(connection)  # what the append benchmarks left in the log

        def ours():
            while relay.step():
                pass
        report("relay", facts, timed(ours), baseline_seconds * facts / COUNT)
    finally:
        relay.close()
        with Connection(RABBITMQ) as connection:
            topology.remove(connection)


def bench_register() -> None:
    db = Database()
    service = bootstrap(load("registration", {"VAR_DIR": tempfile.mkdtemp(), "REGISTRATION_DATABASE_URL": db.url}))
    try:
        def new_activity() -> str:
            activity_id, starts = str(uuid.uuid4()), datetime.now(timezone.utc) + timedelta(days=30)
            details = ActivityDetails(organiser="Bench", title="Bench", summary="", starts_at=starts,
                                      ends_at=starts + timedelta(hours=1), attendance="online", venue="",
                                      region="Online")
            service.handle(DraftActivity(actor=BENCH, activity_id=activity_id, details=details, capacity=100_000,
                                         open_now=True))
            return activity_id

        def register(activity_id: str, count: int, prefix: str):
            return lambda: [service.handle(Register(actor=BENCH, activity_id=activity_id, name="Bench Person",
                                                    email=f"{prefix}{i}@example.org")) for i in range(count)]

        popular = new_activity()
        register(popular, 1000, "early")()
        baseline = timed(register(new_activity(), 50, "fresh"))
        report("register", 50, timed(register(popular, 50, "late")), baseline)
    finally:
        service.runtime.engine.dispose()
        db.drop()


def main() -> int:
    print(f"{COUNT} operations each; PostgreSQL and RabbitMQ on loopback; ratio = baseline time / ours\n")
    db = Database()
    try:
        bench_append(db)
        bench_relay(db)
    finally:
        db.drop()
    bench_register()
    return 0


if __name__ == "__main__":
    sys.exit(main())
