"""The broker's shape: the exchange every relay publishes to, and the queues of each consumer.

One durable topic exchange carries every fact, its routing key the message type. Facts that no
queue is bound to go to an alternate exchange and its queue (`<namespace>.unrouted`) instead of
vanishing. The relay declares the exchanges (`declare`). A consuming service declares its own
queues (`declare_consumer`): a main queue (quorum on RabbitMQ), one retry queue per back-off step
(each with its own fixed delay, so a short wait never queues behind a long one) that hands a failed
message back when its delay is over, and a dead-letter queue. Its main queue is bound to exactly
the message types its handlers accept, and unbound from every other contract type and from the
wildcard keys of earlier releases: a type another service starts publishing reaches only the
services that handle it, and never turns a bystander's health red. This module names no service.

So that no fact is published before the queue that needs it exists, queues are declared before
relays publish: in the embedded mode each consumer declares when it is built, before any loop
starts; with separate processes each consumer declares every time it connects, and `python -m
<service> declare-queues` declares them up front (`make run` runs it for each service before
starting any relay; a deployment runs it once, before its relays). A fact published before that is
kept in the unrouted queue rather than lost.

Every connection carries an AMQP heartbeat (`connect`): without one, a connection whose peer
vanished without a close looks alive for ever.
"""
from dataclasses import dataclass

from kombu import Connection, Exchange, Queue

from shared.contracts import PAYLOADS

DELIVERY_LIMIT = 20  # the broker's backstop for a message that kills its worker every time
RETRY_DELAYS = (1.0, 5.0, 30.0, 120.0)  # seconds before the 2nd, 3rd, ... try; then dead-lettered
HEARTBEAT = 10  # seconds; a vanished peer is noticed within about twice this
# Keys queues were bound with before bindings followed the handlers: unbound at every start.
FORMER_WILDCARD_KEYS = ("registration.activity.*", "registration.registration.*")


@dataclass(frozen=True)
class ServiceQueues:
    main: Queue
    retries: list[Queue]
    dead: Queue

    @property
    def all(self) -> list[Queue]:
        return [self.main, *self.retries, self.dead]


class Topology:
    def __init__(self, namespace: str = "cpw", rabbitmq: bool = True, retry_delays=RETRY_DELAYS,
                 heartbeat: float = HEARTBEAT):
        self.namespace = namespace
        self.rabbitmq = rabbitmq
        self.retry_delays = tuple(retry_delays)
        self.heartbeat = heartbeat
        self.unrouted = Exchange(f"{namespace}.unrouted", "fanout", durable=True)
        self.facts = Exchange(f"{namespace}.facts", "topic", durable=True,
                              arguments={"alternate-exchange": self.unrouted.name})

    def connect(self, amqp_url: str, **options) -> Connection:
        """A broker connection with the heartbeat on; its user calls heartbeat_check while it waits."""
        return Connection(amqp_url, heartbeat=self.heartbeat, **options)

    def queue_name(self, service: str, kind: str = "") -> str:
        return ".".join(part for part in (self.namespace, service, kind) if part)

    def queues(self, service: str) -> ServiceQueues:
        main_name, dead_name = self.queue_name(service), self.queue_name(service, "dead")
        return ServiceQueues(
            main=Queue(main_name, bindings=[], durable=True, queue_arguments=self._main_arguments(dead_name)),
            retries=[Queue(self._retry_name(service, delay), durable=True, queue_arguments={
                "x-message-ttl": int(delay * 1000), "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": main_name}) for delay in self.retry_delays],
            dead=Queue(dead_name, durable=True, queue_arguments=self._quorum()),
        )

    @property
    def max_attempts(self) -> int:
        return len(self.retry_delays) + 1

    def retry_route(self, service: str, failures: int) -> str:
        """Where a message that has failed this many times waits before its next try. The
        in-process broker has no expiry, so there it goes straight back to the main queue."""
        if not self.rabbitmq:
            return self.queue_name(service)
        return self._retry_name(service, self.retry_delays[failures - 1])

    def _retry_name(self, service: str, delay: float) -> str:
        return self.queue_name(service, f"retry.{int(delay * 1000)}ms")

    def declare(self, connection: Connection) -> None:
        """The exchanges (and the queue keeping unrouted facts): what a relay publishes to."""
        channel = connection.default_channel
        self.unrouted.bind(channel).declare()
        Queue(f"{self.namespace}.unrouted", exchange=self.unrouted, durable=True,
              queue_arguments=self._quorum()).bind(channel).declare()
        self.facts.bind(channel).declare()

    def declare_consumer(self, connection: Connection, service: str, message_types) -> None:
        """The service's queues, its main queue bound to exactly these message types and to no
        other: stale bindings (a type it no longer handles, a former wildcard) are removed."""
        self.declare(connection)
        channel = connection.default_channel
        queues = self.queues(service)
        for queue in queues.all:
            queue.bind(channel).declare()
        main = queues.main.bind(channel)
        wanted = set(message_types)
        for key in sorted(wanted):
            main.bind_to(exchange=self.facts, routing_key=key)
        for key in sorted(self.known_keys() - wanted):
            main.unbind_from(exchange=self.facts, routing_key=key)

    @staticmethod
    def known_keys() -> set[str]:
        """Every routing key a queue of ours may have been bound with: each contract's type, and
        the wildcards of earlier releases."""
        return {message_type for message_type, _ in PAYLOADS} | set(FORMER_WILDCARD_KEYS)

    def remove(self, connection: Connection, services=()) -> None:
        """Delete the queues of these services and the exchanges of this namespace (tests and
        benchmarks clean up so)."""
        channel = connection.channel()
        for service in services:
            for queue in self.queues(service).all:
                channel.queue_delete(queue.name)
        channel.queue_delete(f"{self.namespace}.unrouted")
        channel.exchange_delete(self.facts.name)
        channel.exchange_delete(self.unrouted.name)

    def _main_arguments(self, dead_name: str) -> dict:
        arguments = {"x-dead-letter-exchange": "", "x-dead-letter-routing-key": dead_name}
        if self.rabbitmq:
            arguments.update(self._quorum(), **{"x-delivery-limit": DELIVERY_LIMIT})
        return arguments

    def _quorum(self) -> dict:
        return {"x-queue-type": "quorum"} if self.rabbitmq else {}


def topology_for(amqp_url: str, namespace: str, retry_delays=RETRY_DELAYS, heartbeat: float = HEARTBEAT) -> Topology:
    return Topology(namespace, rabbitmq=not amqp_url.startswith("memory://"), retry_delays=retry_delays,
                    heartbeat=heartbeat)
