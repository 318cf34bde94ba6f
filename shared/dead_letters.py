"""Dead letters: what a service could not handle, kept with the reason, for an admin to inspect
and, once the cause is fixed, replay onto the service's queue (with a fresh count of tries)."""
import json
from dataclasses import dataclass

from kombu import Exchange, Producer

from shared.consumer import ATTEMPTS_HEADER
from shared.contracts import ContractError, decode
from shared.topology import Topology


@dataclass(frozen=True)
class DeadLetter:
    message_id: str | None
    type: str | None
    reason: str
    attempts: int


def inspect(amqp_url: str, topology: Topology, service: str) -> list[DeadLetter]:
    """Look at every dead letter without taking it off the queue."""
    found = []
    with topology.connect(amqp_url) as connection:
        channel = connection.channel()
        while (message := channel.basic_get(topology.queue_name(service, "dead"), no_ack=False)) is not None:
            found.append(_describe(message))
        channel.close()  # unacked messages go back to the queue, in order
    return found


def replay(amqp_url: str, topology: Topology, service: str, include_undecodable: bool = False) -> tuple[int, int]:
    """Move the dead letters there now back onto the service's queue; return (replayed, left).

    Only as many as the queue held at the start are taken: a running consumer that sends one back
    (it still fails) must not make the replay go round for ever. A message that cannot be decoded
    would only come straight back, so it stays where it is unless include_undecodable."""
    replayed = left = 0
    with topology.connect(amqp_url, transport_options={"confirm_publish": True}) as connection:
        channel, producer = connection.channel(), Producer(connection.channel())
        channel.queue_declare(topology.queue_name(service), passive=True)  # where they go must exist
        _, waiting, _ = channel.queue_declare(topology.queue_name(service, "dead"), passive=True)
        for _ in range(waiting):
            message = channel.basic_get(topology.queue_name(service, "dead"), no_ack=False)
            if message is None:
                break
            connection.heartbeat_check()
            if not include_undecodable and not _decodable(message):
                left += 1  # held unacked until the channel closes, then back on the dead-letter queue
                continue
            _republish(producer, topology, service, message)
            channel.basic_ack(message.delivery_tag)  # only after the copy is confirmed on the queue
            replayed += 1
    return replayed, left


def _republish(producer: Producer, topology: Topology, service: str, message) -> None:
    headers = {k: v for k, v in (message.headers or {}).items() if k not in (ATTEMPTS_HEADER, "x-dead-reason")}
    producer.publish(message.body, exchange=Exchange(""), routing_key=topology.queue_name(service),
                     headers=headers, delivery_mode=2, content_type=message.content_type,
                     content_encoding=message.content_encoding, message_id=message.properties.get("message_id"))


def _decodable(message) -> bool:
    try:
        decode(message.body)
        return True
    except ContractError:
        return False


def _describe(message) -> DeadLetter:
    headers = message.headers or {}
    try:
        body = json.loads(message.body)
        message_type = body.get("type") if isinstance(body, dict) else None
    except ValueError:
        message_type = None
    return DeadLetter(message_id=message.properties.get("message_id"), type=message_type,
                      reason=str(headers.get("x-dead-reason", "")), attempts=int(headers.get(ATTEMPTS_HEADER, 0)))
