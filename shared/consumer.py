"""The consumer: integration messages in, handled exactly once in effect.

Each message is decoded against its contract and handled in one database transaction that also
records its id in the inbox; the broker ack comes only after that commit. A redelivered message
finds its id in the inbox and changes nothing. A handler that fails is retried with doubling
back-off (the message waits in the retry queue of its step), and after a bounded number of tries it goes to
the dead-letter queue, as does a message that cannot be decoded: the queue always moves on.
When the service's own database is unreachable the message is not to blame: the worker holds it,
unacked, and handles it again once the database answers, without using up its tries.
"""
import logging
import threading
from datetime import datetime, timezone
from typing import Callable

from kombu import Connection, Consumer, Exchange, Producer
from kombu.message import Message
from sqlalchemy import (Column, Connection as DbConnection, DateTime, Engine, MetaData, String, Table, insert, select,
                        text)
from sqlalchemy.exc import InterfaceError, OperationalError

from shared import metrics
from shared.contracts import ContractError, Envelope, decode
from shared.logs import correlated, fields
from shared.topology import Topology

log = logging.getLogger(__name__)

Handler = Callable[[DbConnection, Envelope], None]
ATTEMPTS_HEADER = "x-attempts"


class ShuttingDown(Exception):
    pass


class Inbox:
    def __init__(self, metadata: MetaData):
        self.table = Table("handled_messages", metadata,
                           Column("message_id", String(36), primary_key=True),
                           Column("handled_at", DateTime(timezone=True), nullable=False))

    def seen(self, connection: DbConnection, message_id: str) -> bool:
        query = select(self.table.c.message_id).where(self.table.c.message_id == message_id)
        return connection.execute(query).first() is not None

    def record(self, connection: DbConnection, message_id: str) -> None:
        connection.execute(insert(self.table).values(message_id=message_id,
                                                     handled_at=datetime.now(timezone.utc)))


class Worker:
    def __init__(self, service: str, engine: Engine, inbox: Inbox, amqp_url: str, topology: Topology,
                 handlers: dict[str, Handler], prefetch_count: int = 20):
        self.service, self.engine, self.inbox = service, engine, inbox
        self.amqp_url, self.topology, self.handlers = amqp_url, topology, handlers
        self.prefetch_count = prefetch_count
        self.stopping = threading.Event()  # the loop's, so that a long wait ends at shutdown
        self.queues = topology.queues(service)
        self._connection: Connection | None = None
        self._handled_in_step = 0

    def step(self) -> int:
        """Wait up to a second for messages and handle what arrives; return how many."""
        if self._connection is None:
            self._connect()
        self._handled_in_step = 0
        try:
            self._connection.drain_events(timeout=1)
        except TimeoutError:
            pass
        return self._handled_in_step

    def close(self) -> None:
        if self._connection is not None:
            self._connection.release()
            self._connection = None

    def _connect(self) -> None:
        connection = Connection(self.amqp_url, transport_options={"confirm_publish": True})
        connection.ensure_connection(max_retries=1)
        self.topology.declare(connection)
        self._connection, self._producer = connection, Producer(connection.channel())
        consumer = Consumer(connection.default_channel, queues=[self.queues.main],
                            on_message=self._on_message, prefetch_count=self.prefetch_count)
        consumer.consume()

    def _on_message(self, message: Message) -> None:
        self._handled_in_step += 1
        try:
            envelope = decode(message.body)
        except ContractError as error:
            return self._dead_letter(message, f"undecodable: {error}")
        handler = self.handlers.get(envelope.type)
        if handler is None:
            return self._dead_letter(message, f"type: no handler for {envelope.type!r}")
        with correlated(envelope.correlation_id):
            while True:
                try:
                    self._handle_once(handler, envelope)
                    break
                except (OperationalError, InterfaceError) as error:
                    if self._database_answers():
                        log.exception("handler failed", extra=fields(message_id=envelope.id, type=envelope.type))
                        return self._retry_or_dead_letter(message, error)
                    self._wait_for_database()  # the database, not the message: hold it and try again
                except Exception as error:
                    log.exception("handler failed", extra=fields(message_id=envelope.id, type=envelope.type))
                    return self._retry_or_dead_letter(message, error)
        metrics.MESSAGES_HANDLED.labels(self.service).inc()
        message.ack()

    def _handle_once(self, handler: Handler, envelope: Envelope) -> None:
        with self.engine.begin() as db:
            if self.inbox.seen(db, envelope.id):
                log.info("duplicate message ignored", extra=fields(message_id=envelope.id))
                return
            handler(db, envelope)
            self.inbox.record(db, envelope.id)
        log.info("message handled", extra=fields(message_id=envelope.id, type=envelope.type))

    def _database_answers(self) -> bool:
        try:
            with self.engine.connect() as db:
                db.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def _wait_for_database(self) -> None:
        """Hold the message, unacked on its own channel, until the database answers again: closing
        the channel would count as a delivery on a quorum queue, and lose it on the in-process broker."""
        log.warning("database unavailable; holding the message until it returns")
        backoff = 0.2
        while not self._database_answers():
            if self.stopping.wait(backoff):
                raise ShuttingDown("stopped while the database was away; the message stays unacked")
            backoff = min(backoff * 2, 5.0)
        log.info("database back; handling the held message again")

    def _retry_or_dead_letter(self, message: Message, error: Exception) -> None:
        attempts = int((message.headers or {}).get(ATTEMPTS_HEADER, 0)) + 1
        if attempts >= self.topology.max_attempts:
            return self._dead_letter(message, f"failed {attempts} times: {type(error).__name__}",
                                     {ATTEMPTS_HEADER: attempts})
        self._republish(message, self.topology.retry_route(self.service, attempts), {ATTEMPTS_HEADER: attempts})
        metrics.MESSAGES_RETRIED.labels(self.service).inc()
        message.ack()

    def _dead_letter(self, message: Message, reason: str, headers: dict | None = None) -> None:
        log.warning("message dead-lettered", extra=fields(reason=reason, message_id=message.properties.get("message_id")))
        self._republish(message, self.queues.dead.name, {"x-dead-reason": reason[:500], **(headers or {})})
        metrics.MESSAGES_DEAD_LETTERED.labels(self.service).inc()
        message.ack()

    def _republish(self, message: Message, queue_name: str, headers: dict) -> None:
        """Publish a copy, confirmed, before the original is acked: at worst a duplicate, never a loss."""
        self._producer.publish(
            message.body, exchange=Exchange(""), routing_key=queue_name, delivery_mode=2,
            headers={**(message.headers or {}), **headers},
            content_type=message.content_type or "application/json",
            content_encoding=message.content_encoding or "utf-8",
            message_id=message.properties.get("message_id"),
            correlation_id=message.properties.get("correlation_id"))
