"""Read what reached a queue, for assertions."""
import json

from kombu import Connection


def drain(amqp_url: str, queue_name: str) -> list:
    """Every message now in the queue, removed from it: (decoded body or raw bytes, headers)."""
    found = []
    with Connection(amqp_url) as connection:
        channel = connection.channel()
        while (message := channel.basic_get(queue_name, no_ack=True)) is not None:
            found.append((_decode(message.body), message.headers or {}))
    return found


def queue_depth(amqp_url: str, queue_name: str) -> int:
    with Connection(amqp_url) as connection:
        _, count, _ = connection.channel().queue_declare(queue_name, passive=True)
        return count


def _decode(body):
    try:
        return json.loads(body)
    except ValueError:
        return body
