"""The consumer: integration messages in, handled exactly once in effect.

Each message is decoded against its contract and handled in a database transaction that also
records its id in the inbox; the broker ack comes only after that commit (one multiple ack for
messages committed together, where the broker takes one). Messages that arrive
together (up to the prefetch count) share a transaction, for up to TOGETHER_FOR seconds of work;
if any of them fails, the transaction is rolled back and each of the rest is handled in one of its
own, so that a bad one holds back no other. A redelivered message
finds its id in the inbox and changes nothing. A handler that fails is retried with doubling
back-off (the message waits in the retry queue of its step), and after a bounded number of tries it goes to
the dead-letter queue, as does a message that cannot be decoded: the queue always moves on.
When the service's own database is unreachable the message is not to blame: the consumer holds it,
unacked, and handles it again once the database answers, without using up its tries.

The consumer declares its own queues, its main queue bound to exactly the message types of its
handlers (see shared.topology): a type it has no handler for is not routed to it at all. It
declares them whenever it connects; `declare()` does so up front, before any relay publishes.
"""
import logging
import threading
import time
from datetime import datetime, timezone
from typing import Callable

from kombu import Connection, Consumer as KombuConsumer, Exchange, Producer
from kombu.message import Message
from sqlalchemy import (Column, Connection as DbConnection, DateTime, Engine, MetaData, String, Table, insert, select,
                        text, update)
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError

from shared import metrics
from shared.aggregate import kept_once_committed
from shared.contracts import ContractError, Envelope, decode
from shared.logs import correlated, fields
from shared.topology import Topology

log = logging.getLogger(__name__)

Handler = Callable[[DbConnection, Envelope], None]
ATTEMPTS_HEADER = "x-attempts"
CONFIRM_TIMEOUT = 30.0  # seconds for the broker to confirm a retried or dead-lettered copy; then the step fails
STALE_AFTER_HEARTBEATS = 3  # liveness refreshed once a heartbeat, a lost connection noticed within two
TOGETHER_FOR = 0.05  # seconds of handlers' work in one transaction, at most (then it commits and goes on)


class ShuttingDown(Exception):
    pass


class Inbox:
    def __init__(self, metadata: MetaData):
        self.table = Table("handled_messages", metadata,
                           Column("message_id", String(36), primary_key=True),
                           Column("handled_at", DateTime(timezone=True), nullable=False))

    def to_handle(self, connection: DbConnection, message_ids: list[str]) -> list[bool]:
        """For each message, whether to handle it: not handled before, and not a copy of one
        earlier in the same list."""
        query = select(self.table.c.message_id).where(self.table.c.message_id.in_(message_ids))
        seen, wanted = set(connection.execute(query).scalars()), []
        for message_id in message_ids:
            wanted.append(message_id not in seen)
            seen.add(message_id)
        return wanted

    def record(self, connection: DbConnection, message_ids: list[str]) -> None:
        now = datetime.now(timezone.utc)
        connection.execute(insert(self.table), [{"message_id": message_id, "handled_at": now}
                                                for message_id in message_ids])


class Liveness:
    """When the service's consumer last knew it had a live subscription: a row it refreshes while
    its broker connection answers heartbeats. /healthz and `status` run in other processes (the
    web, the command line); they read the row, and a stale one means no consumer is subscribed."""

    def __init__(self, metadata: MetaData):
        self.table = Table("consumer_liveness", metadata,
                           Column("service", String(100), primary_key=True),
                           Column("alive_at", DateTime(timezone=True), nullable=False))

    def confirm(self, connection: DbConnection, service: str) -> None:
        now = datetime.now(timezone.utc)
        row = self.table.c.service == service
        if not connection.execute(update(self.table).where(row).values(alive_at=now)).rowcount:
            connection.execute(insert(self.table).values(service=service, alive_at=now))

    def silent_for(self, connection: DbConnection, service: str) -> float | None:
        """Seconds since the consumer last confirmed a live subscription; None if it never ran."""
        alive_at = connection.execute(select(self.table.c.alive_at).where(self.table.c.service == service)).scalar()
        if alive_at is None:
            return None
        return (datetime.now(timezone.utc) - alive_at.replace(tzinfo=alive_at.tzinfo or timezone.utc)).total_seconds()


class Consumer:
    def __init__(self, service: str, engine: Engine, inbox: Inbox, liveness: Liveness, amqp_url: str,
                 topology: Topology, handlers: dict[str, Handler], prefetch_count: int = 100):
        self.service, self.engine, self.inbox, self.liveness = service, engine, inbox, liveness
        self.amqp_url, self.topology, self.handlers = amqp_url, topology, handlers
        self.prefetch_count = prefetch_count
        self.stopping = threading.Event()  # the loop's, so that a long wait ends at shutdown
        self.queues = topology.queues(service)
        self._connection: Connection | None = None
        self._handled_in_step = 0
        self._arrived: list[tuple[Message, Envelope, Handler]] = []
        self._confirmed_at = 0.0

    def step(self) -> int:
        """Wait up to a second for messages, take what else has arrived with them (up to the
        prefetch count) and handle them; return how many. A broker silent for two heartbeats
        raises here: the loop closes the connection and reconnects."""
        if self._connection is None:
            self._connect()
        self._handled_in_step = 0
        try:
            self._connection.drain_events(timeout=self._drain_timeout())
            while len(self._arrived) < self.prefetch_count:
                self._connection.drain_events(timeout=0)
        except TimeoutError:
            pass
        self._handle_arrived()
        self._check_heartbeat()
        self._confirm_alive()
        return self._handled_in_step

    def declare(self) -> None:
        """Declare the queues and exact bindings now, so that no fact is published before them."""
        with self.topology.connect(self.amqp_url) as connection:
            self.topology.declare_consumer(connection, self.service, self.handlers)

    def close(self) -> None:
        """Give the connection up without a close handshake: the peer may be gone, and waiting on
        it would stall the loop. The broker requeues what was unacked when the socket closes."""
        self._arrived = []  # unacked on the connection given up: the broker delivers them again
        if self._connection is not None:
            self._connection.collect()
            self._connection = None

    def _connect(self) -> None:
        connection = self.topology.connect(self.amqp_url)
        connection.ensure_connection(max_retries=1)
        self.topology.declare_consumer(connection, self.service, self.handlers)
        self._connection = connection
        consumer = KombuConsumer(connection.default_channel, queues=[self.queues.main],
                                 on_message=self._on_message, prefetch_count=self.prefetch_count)
        consumer.consume()
        log.info("consumer subscribed", extra=fields(queue=self.queues.main.name, heartbeat=self.topology.heartbeat))

    def _drain_timeout(self) -> float:
        return min(1.0, self.topology.heartbeat / 4) if self.topology.heartbeat else 1.0

    def _check_heartbeat(self) -> None:
        """Send our heartbeat when due, and raise if the broker has sent nothing for two of its own."""
        try:
            self._connection.heartbeat_check()
        except Exception:
            log.warning("broker connection lost: no heartbeat; reconnecting",
                        extra=fields(queue=self.queues.main.name, heartbeat=self.topology.heartbeat))
            raise

    def _confirm_alive(self) -> None:
        """Refresh the liveness row, once a heartbeat interval at most; a database that does not
        answer leaves it stale (health already reports the database)."""
        now = time.monotonic()
        if now - self._confirmed_at < (self.topology.heartbeat or 10):
            return
        try:
            with self.engine.begin() as db:
                self.liveness.confirm(db, self.service)
            self._confirmed_at = now
        except (OperationalError, InterfaceError, IntegrityError):
            pass  # a database outage (shown by health) or another consumer of the service writing it

    def _on_message(self, message: Message) -> None:
        """A delivery: decoded now (one that breaks its contract goes to the dead letters at
        once), handled with the others that arrived with it once the step has taken them all."""
        self._handled_in_step += 1
        try:
            envelope = decode(message.body)
        except ContractError as error:
            return self._dead_letter(message, f"undecodable: {error}")
        handler = self.handlers.get(envelope.type)
        if handler is None:
            return self._dead_letter(message, f"type: no handler for {envelope.type!r}")
        self._arrived.append((message, envelope, handler))

    def _handle_arrived(self) -> None:
        """In transactions of at most TOGETHER_FOR seconds' work each: a transaction holds the
        service's append lock from its first append to its commit, and other writers wait for it."""
        arrived, self._arrived = self._arrived, []
        while len(arrived) > 1:
            try:
                taken = self._handle_together(arrived, budget=TOGETHER_FOR)
            except Exception as error:
                log.info("messages handled together failed; handling each alone",
                         extra=fields(messages=len(arrived), error=type(error).__name__))
                break
            metrics.MESSAGES_HANDLED.labels(self.service).inc(taken)
            self._ack_together([message for message, _envelope, _handler in arrived[:taken]])
            arrived = arrived[taken:]
        for message, envelope, handler in arrived:
            self._handle_alone(message, envelope, handler)

    def _ack_together(self, messages: list[Message]) -> None:
        """Messages handled and committed, in the order they were delivered: one frame acks them
        all (with every earlier delivery, each acked already) on RabbitMQ; the in-process broker
        ignores `multiple`, so there each is acked in turn."""
        if self.topology.rabbitmq:
            messages[-1].ack(multiple=True)
        else:
            for message in messages:
                message.ack()

    def _handle_alone(self, message: Message, envelope: Envelope, handler: Handler) -> None:
        with correlated(envelope.correlation_id):
            while True:
                try:
                    self._handle_together([(message, envelope, handler)])
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

    def _handle_together(self, arrived: list[tuple[Message, Envelope, Handler]], budget: float | None = None) -> int:
        """One transaction: the messages in order, until `budget` seconds of work are spent, each
        not handled before, and their ids in the inbox. Returns how many it took."""
        started, taken, new = time.monotonic(), 0, []
        with kept_once_committed() as kept, self.engine.begin() as db:
            wanted = self.inbox.to_handle(db, [envelope.id for _message, envelope, _handler in arrived])
            for (_message, envelope, handler), handle in zip(arrived, wanted):
                taken += 1
                if not handle:
                    log.info("duplicate message ignored", extra=fields(message_id=envelope.id))
                else:
                    with correlated(envelope.correlation_id):
                        handler(db, envelope)
                    new.append(envelope.id)
                if budget is not None and time.monotonic() - started > budget:
                    break
            if new:
                self.inbox.record(db, new)
        kept.committed()
        for message_id in new:
            log.info("message handled", extra=fields(message_id=message_id))
        return taken

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
        backoff, longest = 0.2, min(5.0, (self.topology.heartbeat or 10) / 2)
        while not self._database_answers():
            if self.stopping.wait(backoff):
                raise ShuttingDown("stopped while the database was away; the message stays unacked")
            self._send_heartbeat()
            backoff = min(backoff * 2, longest)
        log.info("database back; handling the held message again")

    def _send_heartbeat(self) -> None:
        """Nothing is read while a message is held, so the broker's heartbeats cannot be checked;
        ours are still sent, so that the broker keeps the connection and the held message."""
        send = getattr(self._connection.connection, "send_heartbeat", None)  # the in-process broker has none
        if send and self.topology.heartbeat:
            send()

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
        """Publish a copy, confirmed, before the original is acked: at worst a duplicate, never a loss.
        On a connection of its own: waiting for the confirm on the consuming connection would read
        the next delivery and handle it inside this one's handling. Only a failed message comes
        here, so a short-lived connection costs nothing that matters."""
        with self.topology.connect(self.amqp_url, transport_options={"confirm_publish": True}) as publishing:
            self._publish_copy(Producer(publishing.channel()), message, queue_name, headers)

    @staticmethod
    def _publish_copy(producer: Producer, message: Message, queue_name: str, headers: dict) -> None:
        producer.publish(
            message.body, exchange=Exchange(""), routing_key=queue_name, delivery_mode=2,
            headers={**(message.headers or {}), **headers},
            content_type=message.content_type or "application/json",
            content_encoding=message.content_encoding or "utf-8",
            message_id=message.properties.get("message_id"),
            correlation_id=message.properties.get("correlation_id"), timeout=CONFIRM_TIMEOUT)
