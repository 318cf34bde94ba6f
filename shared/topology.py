"""The broker topology in one place: the facts exchange, each service's queues and bindings.

One durable topic exchange carries every fact. Each consuming service has a durable queue (quorum
on RabbitMQ) bound to the message types it needs, a retry queue that holds a failed message for its
back-off before handing it back, and a dead-letter queue for what could not be handled. Facts that
no queue is bound to go to an alternate exchange instead of vanishing. Every process declares the
whole topology at start, idempotently, so no fact is published before its queues exist.
"""
from dataclasses import dataclass

from kombu import Connection, Exchange, Queue

SUBSCRIPTIONS = {
    "content": ["registration.activity.*"],
    "notifications": ["registration.registration.*"],
}
DELIVERY_LIMIT = 20  # the broker's backstop for a message that kills its worker every time


@dataclass(frozen=True)
class ServiceQueues:
    main: Queue
    retry: Queue
    dead: Queue


class Topology:
    def __init__(self, namespace: str = "cpw", rabbitmq: bool = True):
        self.namespace = namespace
        self.rabbitmq = rabbitmq
        self.unrouted = Exchange(f"{namespace}.unrouted", "fanout", durable=True)
        self.facts = Exchange(f"{namespace}.facts", "topic", durable=True,
                              arguments={"alternate-exchange": self.unrouted.name})

    def queue_name(self, service: str, kind: str = "") -> str:
        return ".".join(part for part in (self.namespace, service, kind) if part)

    def queues(self, service: str) -> ServiceQueues:
        main_name, dead_name = self.queue_name(service), self.queue_name(service, "dead")
        return ServiceQueues(
            main=Queue(main_name, bindings=[], durable=True, queue_arguments=self._main_arguments(dead_name)),
            retry=Queue(self.queue_name(service, "retry"), durable=True,
                        queue_arguments={"x-dead-letter-exchange": "", "x-dead-letter-routing-key": main_name}),
            dead=Queue(dead_name, durable=True, queue_arguments=self._quorum()),
        )

    def retry_route(self, service: str) -> str:
        """Where a failed message waits out its back-off: the retry queue, which hands it back to
        the main queue when its expiration passes. The in-process broker has no expiry, so there the
        message goes straight back to the main queue."""
        return self.queue_name(service, "retry" if self.rabbitmq else "")

    def declare(self, connection: Connection) -> None:
        channel = connection.default_channel
        self.unrouted.bind(channel).declare()
        Queue(f"{self.namespace}.unrouted", exchange=self.unrouted, durable=True,
              queue_arguments=self._quorum()).bind(channel).declare()
        self.facts.bind(channel).declare()
        for service, keys in SUBSCRIPTIONS.items():
            queues = self.queues(service)
            for queue in (queues.main, queues.retry, queues.dead):
                queue.bind(channel).declare()
            for key in keys:
                queues.main.bind(channel).bind_to(exchange=self.facts, routing_key=key)

    def _main_arguments(self, dead_name: str) -> dict:
        arguments = {"x-dead-letter-exchange": "", "x-dead-letter-routing-key": dead_name}
        if self.rabbitmq:
            arguments.update(self._quorum(), **{"x-delivery-limit": DELIVERY_LIMIT})
        return arguments

    def _quorum(self) -> dict:
        return {"x-queue-type": "quorum"} if self.rabbitmq else {}


def topology_for(amqp_url: str, namespace: str) -> Topology:
    return Topology(namespace, rabbitmq=not amqp_url.startswith("memory://"))
