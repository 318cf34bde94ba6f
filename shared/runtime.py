"""What every process of a service shares, built from its settings: the database and its event
store, checkpoints, personal-data vault and inbox, the broker topology, and the service's loops.

Nothing is connected at import: a service's bootstrap() builds a Runtime, its app factory and its
process entry point use it.
"""
import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable

from kombu import Connection
from sqlalchemy import Connection as DbConnection, MetaData

from shared.aggregate import A, Repository
from shared.checkpoints import Checkpoints
from shared.commands import Command, Registry
from shared.consumer import STALE_AFTER_HEARTBEATS, Consumer, Inbox, Liveness
from shared.database import create_tables, is_postgres, make_engine
from shared.eventstore import FACTS_CHANNEL, EventStore
from shared.facts import Fact, Upcaster, check_upcasters
from shared.loops import Loop
from shared.personal_data import PersonalDataVault
from shared.projections import Projection, Projector
from shared.relay import Relay, Translate
from shared.listening import Listener
from shared.scheduling import DueWork, Job, Scheduler
from shared.settings import Settings
from shared.snapshots import Snapshots
from shared.timefmt import utc_now
from shared.tokens import Tokens
from shared.topology import topology_for

log = logging.getLogger(__name__)
PROCESS_KINDS = ("relay", "consumer", "projector", "scheduler", "mailer")
# A worker process runs these; the mailer runs as a process of its own beside it, so that its
# senders and the consumer never queue for one interpreter (its lock) while the other computes.
WORKER_KINDS = {"consumer", "projector", "scheduler"}


@dataclass
class ServiceParts:
    """What a service adds to the runtime: its read tables, publications, and the registry of its
    command and message handlers."""
    projections: list[Projection] = field(default_factory=list)
    translate: Translate | None = None
    registry: Registry = field(default_factory=Registry)
    extra_loops: list[Loop] = field(default_factory=list)
    jobs: list[Job] = field(default_factory=list)  # scheduled jobs the `scheduler` process runs
    status: Callable[[DbConnection], dict] | None = None  # what `python -m <service> status` adds


class Runtime:
    def __init__(self, settings: Settings, facts: dict[str, type[Fact]] | None = None,
                 upcasters: dict[tuple[str, int], Upcaster] | None = None, clock: Callable[[], datetime] = utc_now):
        check_upcasters(facts or {}, upcasters or {})
        self.settings = settings
        self.clock = clock  # the one clock of the service: tests hand in their own and move it
        self.metadata = MetaData()
        self.engine = make_engine(settings.database_url)
        self.store = EventStore(self.metadata, upcasters)
        self.checkpoints = Checkpoints(self.metadata)
        self.vault = PersonalDataVault(self.metadata, settings.data_key)
        self.inbox = Inbox(self.metadata)
        self.liveness = Liveness(self.metadata)
        self.snapshots = Snapshots(self.metadata)
        self.tokens = Tokens(self.metadata)  # the admin API's tokens
        self.topology = topology_for(settings.amqp_url, settings.broker_namespace,
                                     heartbeat=settings.broker_heartbeat)
        self.due_work = DueWork(self.metadata, self.engine, clock)
        self.store.on_append.append(self.due_work.on_append)
        self.needs_attention: dict[str, Callable[[DbConnection], int]] = {}  # counts a person must see to

    def repository(self, aggregate: type[A]) -> Repository[A]:
        return Repository(self.engine, self.store, aggregate, self.snapshots)

    def create_tables(self, parts: ServiceParts) -> None:
        create_tables(self.engine, self.metadata)
        for projection in parts.projections:
            create_tables(self.engine, projection.metadata)

    def loops(self, parts: ServiceParts, kinds: set[str]) -> list[Loop]:
        """The loops of the named process kinds (see PROCESS_KINDS; "worker" is WORKER_KINDS)."""
        wanted = set().union(*(WORKER_KINDS if kind == "worker" else {kind} for kind in kinds))
        return [loop for loop in self.all_loops(parts) if loop.kind in wanted]

    def all_loops(self, parts: ServiceParts) -> list[Loop]:
        service = self.settings.service
        loops = []
        if parts.translate:
            relay = self.relay(parts)
            loops.append(self._follower_loop(f"{service}-relay", relay.step, "relay", relay.close, relay.batch_size))
        projector = self.projector(parts)
        loops.append(self._follower_loop(f"{service}-projector", projector.step, "projector", projector.close,
                                         projector.batch_size))
        if parts.registry.messages:
            consumer = self.consumer(parts)
            if self.settings.embedded_broker:  # all loops share one broker: queues before any relay
                consumer.declare()
            loops.append(Loop(f"{service}-consumer", consumer.step, kind="consumer", idle_wait=0,
                              on_error=consumer.close, stopping=consumer.stopping))
        if parts.jobs:
            loops.append(self.scheduler_loop(f"{service}-scheduler", parts.jobs, kind="scheduler"))
        return loops + parts.extra_loops

    def consumer(self, parts: ServiceParts) -> Consumer:
        return Consumer(self.settings.service, self.engine, self.inbox, self.liveness, self.settings.amqp_url,
                        self.topology, parts.registry.message_handlers())

    def declare_queues(self, parts: ServiceParts) -> bool:
        """Declare the service's queues and bindings up front (see shared.topology); False if it
        consumes nothing."""
        if parts.registry.messages:
            self.consumer(parts).declare()
        return bool(parts.registry.messages)

    def _follower_loop(self, name: str, step, kind: str, close, batch_size: int) -> Loop:
        """A loop that follows the log. On PostgreSQL it waits for the NOTIFY every append sends, so
        a fact is on its way within milliseconds; a second without one, it looks anyway. On SQLite
        (one process) it looks every tenth of a second. After a batch that was not full it waits
        too: a fact appended meanwhile has sent its NOTIFY, which ends the wait at once."""
        if not is_postgres(self.engine):
            return Loop(name, step, kind=kind, idle_wait=0.1, on_error=close, full_at=batch_size)
        listener = Listener(self.engine, FACTS_CHANNEL)

        def recover() -> None:
            close()
            listener.close()
        return Loop(name, step, kind=kind, idle_wait=1.0, on_error=recover, wait=listener.wait_for_news,
                    full_at=batch_size)

    def scheduler_loop(self, name: str, jobs: list[Job], kind: str, side_by_side: int = 1) -> Loop:
        """A loop that runs these jobs' due items; it sleeps inside its step until the next one.
        side_by_side: how many such loops run the same jobs (each takes its share of a batch)."""
        stopping = threading.Event()
        scheduler = Scheduler(self.engine, self.due_work, jobs, lambda: self.clock(), stopping,
                              side_by_side=side_by_side)
        return Loop(name, scheduler.step, kind=kind, idle_wait=0, on_error=scheduler.close, stopping=stopping)

    def relay(self, parts: ServiceParts) -> Relay:
        return Relay(self.engine, self.store, self.checkpoints, self.settings.amqp_url, self.topology,
                     parts.translate, replay_on_start=self.settings.embedded_broker)

    def projector(self, parts: ServiceParts) -> Projector:
        return Projector(self.engine, self.store, self.checkpoints, parts.projections, clock=self.clock)

    def health(self) -> dict:
        followers = {}
        state = {"service": self.settings.service,
                 "database": _check(lambda: followers.update(self._followers())),
                 "broker": _check(self._ping_broker)}
        silent = followers.get("consumer_silent_for")
        stale = STALE_AFTER_HEARTBEATS * self.settings.broker_heartbeat
        if state["broker"] == "ok" and silent is not None and silent > stale:
            state["broker"] = f"no live subscription: the consumer last confirmed one {int(silent)} s ago"
        return {**state, **{key: followers.get(key, {})
                            for key in ("lag", "set_aside", "failing_projections", "needs_attention")}}

    def _followers(self) -> dict:
        with self.engine.connect() as db:
            attention = {name: count(db) for name, count in self.needs_attention.items()}
            return {"lag": self._lag(db), "set_aside": self.checkpoints.set_aside_counts(db),
                    "failing_projections": self.checkpoints.failing_projections(db),
                    "needs_attention": {name: n for name, n in attention.items() if n},
                    "consumer_silent_for": self.liveness.silent_for(db, self.settings.service)}

    def lag(self) -> dict[str, int]:
        with self.engine.connect() as db:
            return self._lag(db)

    def _lag(self, db: DbConnection) -> dict[str, int]:
        """How many facts each follower of the log (relay, projections) still has to read: one
        that keeps growing is stuck on a fact it cannot handle."""
        last = self.store.last_position(db)
        return {name: last - position for name, position in self.checkpoints.all(db).items()}

    def _ping_broker(self) -> None:
        if self.settings.embedded_broker:
            return
        with Connection(self.settings.amqp_url, connect_timeout=2) as connection:
            connection.ensure_connection(max_retries=1)


def healthy(state: dict) -> bool:
    """What /healthz (200) and `status` (exit 0) ask: servers up, nothing set aside, no projection
    failing, nothing left for a person to resolve."""
    return (state["database"] == state["broker"] == "ok" and not state["set_aside"]
            and not state["failing_projections"] and not state["needs_attention"])


def _check(ping) -> str:
    try:
        ping()
        return "ok"
    except Exception as error:
        log.warning("health check failed: %s", type(error).__name__)
        return f"unavailable: {type(error).__name__}"


@dataclass
class Service:
    """One service, wired: its runtime and its parts. Pages and API views hand it commands."""
    runtime: Runtime
    parts: ServiceParts

    def handle(self, command: Command):
        return self.parts.registry.handle(command)
