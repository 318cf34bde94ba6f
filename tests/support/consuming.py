"""Hand a message to a service the way its worker would: published to the service's broker (the
in-process one in service tests) and taken off its queue by the service's real consumer, through
its real inbox; then the projector catches up."""
import json

from kombu import Connection, Producer

from shared.contracts import decode

from tests.support.waiting import wait_until


def deliver(service, *messages: dict) -> None:
    """messages as shared.contracts.envelope() makes them, ready to publish."""
    runtime = service.runtime
    consumer = runtime.consumer(service.parts)
    handled = 0
    try:
        consumer.declare()  # the service's queues and bindings, as the worker declares them
        with Connection(runtime.settings.amqp_url) as connection:
            runtime.topology.declare(connection)
            producer = Producer(connection.channel(), exchange=runtime.topology.facts)
            for message in messages:
                producer.publish(json.dumps(message), routing_key=message["type"], message_id=message["id"],
                                 content_type="application/json", content_encoding="utf-8", delivery_mode=2)

        def all_handled() -> bool:
            nonlocal handled
            handled += consumer.step()
            return handled >= len(messages)
        wait_until(all_handled, timeout=10, what=f"{len(messages)} messages handled")
    finally:
        consumer.close()
    runtime.projector(service.parts).catch_up()


def handle_directly(service, *messages: dict) -> None:
    """Hand messages straight to the service's handlers in one transaction: no broker, no inbox, no
    projector (for tests of what comes after the handler, such as the mailer's work)."""
    handlers = service.parts.registry.message_handlers()
    with service.runtime.engine.begin() as db:
        for raw in messages:
            message = decode(json.dumps(raw))
            handlers[message.type](db, message)
