"""relay: facts published by the relay (confirms awaited per batch), against kombu awaiting the
confirm of each message, to the same exchange and quorum queue."""
import json
import uuid

from kombu import Connection, Producer

from shared.relay import Relay
from shared.topology import Topology

from bench.common import COUNT, RABBITMQ, Compared, timed
from bench.store import StoreDatabase

ROUTING_KEY = "registration.activity.opened"


def measure() -> list:
    namespace = f"bench-{uuid.uuid4().hex[:8]}"
    topology = Topology(namespace)
    with StoreDatabase() as db:
        db.append_each("r", COUNT)
        relay = Relay(db.engine, db.store, db.checkpoints, RABBITMQ, topology, _translate)
        try:
            baseline = _publish_each_confirmed(topology)
            ours = timed(lambda: _drain(relay))
        finally:
            relay.close()
            with Connection(RABBITMQ) as connection:
                topology.remove(connection)
    return [Compared("relay", "messages/s", COUNT / ours, COUNT / baseline, "kombu, confirm per message")]


def _translate(_db, fact):
    return [{"id": str(uuid.uuid4()), "type": ROUTING_KEY, "correlation_id": "bench", "payload": fact.data}]


def _drain(relay: Relay) -> None:
    while relay.step():
        pass


def _publish_each_confirmed(topology: Topology) -> float:
    with Connection(RABBITMQ, transport_options={"confirm_publish": True}) as connection:
        topology.declare(connection)  # the same exchange and (quorum) queues the relay feeds
        producer = Producer(connection.channel(), exchange=topology.facts)
        body = json.dumps({"payload": {"i": 0}})
        return timed(lambda: [producer.publish(body, routing_key=ROUTING_KEY, delivery_mode=2)
                              for _ in range(COUNT)])
