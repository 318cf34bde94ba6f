"""The broker topology in one place: the facts exchange, each service's queues and bindings.

One durable topic exchange carries every fact. Each consuming service has a durable queue (quorum
on RabbitMQ) bound to the message types it needs, one retry queue per back-off step (each with its
own fixed delay, so a short wait never queues behind a long one) that hands a failed message back
when its delay is over, and a dead-letter queue for what could not be handled. Facts that
no queue is bound to go to an alternate exchange instead of vanishing. Every process declares the
whole topology at start, idempotently, so no fact is published before its queues exist.
"""
from dataclasses import dataclass

from kombu import Connection, Exchange, Queue

SUBSCRIPTIONS = {
    "content": ["registration.activity.*"],
    "notifications": ["registration.activity.*", "registration.registration.*"],
}
DELIVERY_LIMIT = 20  # the broker's backstop for a message that kills its worker every time
RETRY_DELAYS = (1.0, 5.0, 30.0, 120.0)  # seconds before the 2nd, 3rd, ... try; then dead-lettered


@dataclass(frozen=True)
class ServiceQueues:
    main: Queue
    retries: list[Queue]
    dead: Queue


class Topology:
    def __init__(self, namespace: str = "cpw", rabbitmq: bool = True, retry_delays=RETRY_DELAYS):
        self.namespace = namespace
        self.rabbitmq = rabbitmq
        self.retry_delays = tuple(retry_delays)
        self.unrouted = Exchange(f"{namespace}.unrouted", "fanout", durable=True)
        self.facts = Exchange(f"{namespace}.facts", "topic", durable=True,
                              arguments={"alternate-exchange": self.unrouted.name})

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
        channel = connection.default_channel
        self.unrouted.bind(channel).declare()
        Queue(f"{self.namespace}.unrouted", exchange=self.unrouted, durable=True,
              queue_arguments=self._quorum()).bind(channel).declare()
        self.facts.bind(channel).declare()
        for service, keys in SUBSCRIPTIONS.items():
            queues = self.queues(service)
            for queue in (queues.main, *queues.retries, queues.dead):
                queue.bind(channel).declare()
            for key in keys:
                queues.main.bind(channel).bind_to(exchange=self.facts, routing_key=key)

    def remove(self, connection: Connection) -> None:
        """Delete every queue and exchange of this namespace (tests and benchmarks clean up so)."""
        channel = connection.channel()
        for service in SUBSCRIPTIONS:
            queues = self.queues(service)
            for queue in (queues.main, *queues.retries, queues.dead):
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


def topology_for(amqp_url: str, namespace: str, retry_delays=RETRY_DELAYS) -> Topology:
    return Topology(namespace, rabbitmq=not amqp_url.startswith("memory://"), retry_delays=retry_delays)
