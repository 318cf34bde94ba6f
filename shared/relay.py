"""The relay: the event store is the outbox, and the relay publishes it to the broker.

It reads facts after its checkpoint in position order, turns the ones other services need into
contract messages, publishes them as a batch and waits for the broker to confirm every one (a nack
or a confirm timeout fails the batch), and only then moves its checkpoint. A crash or an outage before the checkpoint moves means those
facts are published again after recovery, under the same message ids, for the consumers' inboxes
to absorb: nothing committed is ever skipped.

Its connection carries a heartbeat, checked at each step, so a broker that vanished without a
close is noticed within about two heartbeats and the relay reconnects.

The in-process broker of the embedded mode forgets what it holds when the process stops, so there
the relay starts from the beginning of the log each time (replay_on_start) and the inboxes absorb
what was handled before: a registration made just before Ctrl-C still gets its email.
"""
import json
import logging
import time
from typing import Callable

from kombu import Connection
from sqlalchemy import Connection as DbConnection, Engine

from shared import metrics
from shared.checkpoints import Checkpoints
from shared.confirms import ConfirmedPublisher
from shared.contracts import ContractError
from shared.eventstore import EventStore, RecordedFact
from shared.leadership import Leadership
from shared.logs import fields
from shared.topology import Topology

log = logging.getLogger(__name__)

Translate = Callable[[DbConnection, RecordedFact], list[dict]]


class Relay:
    name = "relay"

    def __init__(self, engine: Engine, store: EventStore, checkpoints: Checkpoints, amqp_url: str,
                 topology: Topology, translate: Translate, batch_size: int = 200,
                 confirm_timeout: float = 10.0, replay_on_start: bool = False):
        self.engine, self.store, self.checkpoints = engine, store, checkpoints
        self.amqp_url, self.topology, self.translate = amqp_url, topology, translate
        self.batch_size, self.confirm_timeout = batch_size, confirm_timeout
        self.leadership = Leadership(engine, self.name)
        self._connection: Connection | None = None
        self._publisher: ConfirmedPublisher | None = None
        self._rewind = replay_on_start
        self._kept_alive_at = 0.0

    def step(self) -> int:
        """Publish one batch of facts after the checkpoint; return how many facts it covered."""
        self._keep_alive()
        if not self.leadership.held():
            return 0
        if self._rewind:
            with self.engine.begin() as db:
                self.checkpoints.set(db, self.name, 0)
            self._rewind = False
        with self.engine.begin() as db:
            start = self.checkpoints.claim(db, self.name)
            facts = self.store.read_after(db, start, self.batch_size)
            messages, set_aside = self._translate_all(db, facts)
        if not facts:
            return 0
        self._connected().publish_all([self._prepared(message) for message in messages])
        metrics.published(messages)
        with self.engine.begin() as db:
            moved = self.checkpoints.advance(db, self.name, start, facts[-1].position)
            for position, reason in set_aside if moved else []:
                self.checkpoints.set_aside(db, self.name, position, reason)
        if not moved:  # another relay got there first: this batch went out twice, for the inboxes
            log.warning("checkpoint moved by another relay", extra=fields(after=start))
            return 0
        log.info("relayed facts", extra=fields(after=start, to=facts[-1].position, published=len(messages)))
        return len(facts)

    def republish_set_aside(self) -> tuple[int, int]:
        """Try the set-aside facts again (after the cause is fixed); return (published, still set aside)."""
        published = 0
        with self.engine.connect() as db:
            waiting = self.checkpoints.set_aside_facts(db, self.name)
        for position, _ in waiting:
            with self.engine.begin() as db:
                fact, = self.store.read_after(db, position - 1, limit=1)
                try:
                    messages = self.translate(db, fact)
                except ContractError:
                    continue
            self._connected().publish_all([self._prepared(message) for message in messages])
            metrics.published(messages)
            with self.engine.begin() as db:
                self.checkpoints.take_back(db, self.name, position)
            published += 1
        return published, len(waiting) - published

    def _translate_all(self, db: DbConnection, facts: list[RecordedFact]) -> tuple[list[dict], list]:
        """The messages for these facts, and the facts that break their contract: one bad fact is
        set aside (logged, counted in /healthz) rather than stopping every fact behind it."""
        messages, set_aside = [], []
        for fact in facts:
            try:
                messages += self.translate(db, fact)
            except ContractError as error:
                log.error("fact set aside: it breaks its contract", extra=fields(position=fact.position, error=str(error)))
                set_aside.append((fact.position, str(error)))
        return messages, set_aside

    def close(self) -> None:
        """Give the connection up without a close handshake: after a confirm timeout the broker
        may be unreachable, and a polite close waited on it for most of a minute."""
        self.leadership.release()
        self._publisher = None
        if self._connection is not None:
            self._connection.collect()
            self._connection = None

    def _keep_alive(self) -> None:
        """Read what the broker sent meanwhile (its heartbeats) and send ours: a broker silent for
        two heartbeats raises here, and the loop reconnects, rather than publishing into a void."""
        if self._connection is None or time.monotonic() - self._kept_alive_at < self.topology.heartbeat / 4:
            return
        self._kept_alive_at = time.monotonic()
        try:
            self._connection.drain_events(timeout=0.01)
        except TimeoutError:
            pass
        self._connection.heartbeat_check()

    def _connected(self) -> ConfirmedPublisher:
        if self._publisher is None:
            connection = self.topology.connect(self.amqp_url)
            connection.ensure_connection(max_retries=1)
            self.topology.declare(connection)
            self._connection = connection
            self._publisher = ConfirmedPublisher(connection, self.topology.facts, self.confirm_timeout)
        return self._publisher

    @staticmethod
    def _prepared(message: dict) -> tuple[str, dict]:
        return json.dumps(message), {
            "routing_key": message["type"], "content_type": "application/json", "content_encoding": "utf-8",
            "delivery_mode": 2, "message_id": message["id"], "correlation_id": message["correlation_id"]}
