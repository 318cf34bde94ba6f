"""The consumer against real RabbitMQ: effects happen once, poison never blocks the queue."""
import json
import uuid
from datetime import datetime, timezone

import pytest
from kombu import Connection, Producer
from sqlalchemy import Column, Integer, MetaData, String, Table, event, func, insert, select, text

from shared.consumer import Consumer, Inbox, Liveness
from shared.contracts import envelope
from shared.database import create_tables, make_engine
from shared.loops import Loop
from shared.topology import HEARTBEAT, topology_for
from tests.conftest import CONSUMER_TEST_DELAYS
from tests.support.background import Background
from tests.support.outage import DatabaseOutage
from tests.support.broker import drain, queue_depth
from tests.support.facts import activity_opened_payload
from tests.support.waiting import wait_until

pytestmark = pytest.mark.real_server
OPENED = "registration.activity.opened"


class Harness:
    """A content-side consumer whose handler records one row per message it handles."""

    def __init__(self, tmp_path, amqp_url, namespace, failing_titles=(), inbox=None, database_url=None,
                 heartbeat=HEARTBEAT):
        metadata = MetaData()
        self.effects = Table("effects", metadata, Column("id", Integer, primary_key=True),
                             Column("title", String(200)))
        self.inbox = inbox or Inbox(metadata)
        self.liveness = Liveness(metadata)
        self.engine = make_engine(database_url or f"sqlite:///{tmp_path / 'consumer.db'}")
        create_tables(self.engine, metadata)
        self.amqp_url = amqp_url
        self.topology = topology_for(amqp_url, namespace, retry_delays=CONSUMER_TEST_DELAYS, heartbeat=heartbeat)
        self.failing_titles = set(failing_titles)
        self.consumer = Consumer("content", self.engine, self.inbox, self.liveness, amqp_url, self.topology,
                             {OPENED: self.handle})
        self.background = Background(Loop("consumer", self.consumer.step, idle_wait=0, on_error=self.consumer.close,
                                          stopping=self.consumer.stopping))

    def handle(self, db, message):
        db.execute(insert(self.effects).values(title=message.payload["title"]))
        if message.payload["title"] in self.failing_titles:
            raise RuntimeError("this handler always fails for this message")

    def __enter__(self):
        self.consumer.declare()  # up front, as `declare-queues` does: before anything is published
        self.background.start()
        return self

    def __exit__(self, *_):
        self.background.stop()
        self.consumer.close()
        self.engine.dispose()

    def publish(self, body, routing_key=OPENED):
        with Connection(self.amqp_url, transport_options={"confirm_publish": True}) as connection:
            Producer(connection.channel(), exchange=self.topology.facts).publish(
                body if isinstance(body, (str, bytes)) else json.dumps(body), routing_key=routing_key,
                content_type="application/json", delivery_mode=2)

    def effect_titles(self):
        with self.engine.connect() as db:
            return sorted(db.execute(select(self.effects.c.title)).scalars())

    def handled_count(self):
        with self.engine.connect() as db:
            return db.execute(select(func.count()).select_from(self.inbox.table)).scalar()

    def silent_for(self):
        """Seconds since the consumer last confirmed a live subscription (what health reads)."""
        with self.engine.connect() as db:
            return self.liveness.silent_for(db, "content")

    def dead_letters(self):
        return drain(self.amqp_url, self.topology.queue_name("content", "dead"))

    def dead_count(self):
        return queue_depth(self.amqp_url, self.topology.queue_name("content", "dead"))


def message(title, message_id=None):
    return envelope(OPENED, activity_opened_payload(title), "registration",
                    message_id=message_id or str(uuid.uuid4()), occurred_at=datetime.now(timezone.utc),
                    correlation_id="test")


def test_a_message_delivered_twice_is_handled_once(tmp_path, rabbitmq_url, broker_namespace):
    twice = message("twice")
    with Harness(tmp_path, rabbitmq_url, broker_namespace) as harness:
        harness.publish(twice)
        harness.publish(twice)
        harness.publish(message("after"))
        wait_until(lambda: harness.handled_count() == 2 and queue_depth(
            rabbitmq_url, harness.topology.queue_name("content")) == 0, what="all three deliveries")
        effects = harness.effect_titles()
    print(f"\ninbox on: delivered=3 handled={len(effects)} duplicated={len(effects) - len(set(effects))}")
    assert effects == ["after", "twice"]


class NoInbox(Inbox):
    """The protection switched off, to show the duplicate test can fail."""

    def to_handle(self, connection, message_ids):
        return [True] * len(message_ids)

    def record(self, connection, message_ids):
        pass


def test_without_the_inbox_the_duplicate_has_a_second_effect(tmp_path, rabbitmq_url, broker_namespace):
    twice = message("twice")
    with Harness(tmp_path, rabbitmq_url, broker_namespace, inbox=NoInbox(MetaData())) as harness:
        harness.publish(twice)
        harness.publish(twice)
        wait_until(lambda: len(harness.effect_titles()) == 2, what="both deliveries to take effect")
        effects = harness.effect_titles()
    print(f"\ninbox off: delivered=2 handled={len(effects)} duplicated={len(effects) - len(set(effects))}")
    assert effects == ["twice", "twice"]


def test_a_message_that_keeps_failing_is_dead_lettered_and_the_rest_are_handled(
        tmp_path, rabbitmq_url, broker_namespace):
    with Harness(tmp_path, rabbitmq_url, broker_namespace, failing_titles={"poison"}) as harness:
        harness.publish(message("poison"))
        for i in range(5):
            harness.publish(message(f"fine-{i}"))
        wait_until(lambda: harness.dead_count() == 1, what="the poison message in the dead-letter queue")
        wait_until(lambda: harness.handled_count() == 5, what="the messages behind it")
        (body, headers), = harness.dead_letters()
    assert body["payload"]["title"] == "poison"
    assert headers["x-attempts"] == 3 and "failed 3 times" in headers["x-dead-reason"]
    assert harness.effect_titles() == [f"fine-{i}" for i in range(5)], "a failed attempt must roll back"


@pytest.mark.parametrize("broker", ["rabbitmq", "in-process"])
def test_a_database_outage_holds_the_message_without_using_up_its_tries(
        tmp_path, postgres_server, postgres_url, rabbitmq_url, broker_namespace, broker):
    amqp_url = rabbitmq_url if broker == "rabbitmq" else "memory://"
    with Harness(tmp_path, amqp_url, broker_namespace, database_url=postgres_url) as harness:
        with DatabaseOutage(postgres_server, postgres_url):
            harness.publish(message("held through the outage"))
            wait_until(lambda: queue_depth(amqp_url, harness.topology.queue_name("content")) == 0,
                       what="the consumer to take the message while the database is down")
        wait_until(lambda: harness.handled_count() == 1, what="the message once the database is back")
        assert harness.dead_count() == 0
    assert harness.effect_titles() == ["held through the outage"]


def test_a_handler_error_that_is_not_an_outage_uses_the_retries(tmp_path, rabbitmq_url, broker_namespace):
    """SQLite's 'no such table' is an OperationalError too, but the database answers: the message's fault."""
    with Harness(tmp_path, rabbitmq_url, broker_namespace) as harness:
        with harness.engine.begin() as db:
            db.execute(text("DROP TABLE effects"))
        harness.publish(message("broken handler"))
        wait_until(lambda: harness.dead_count() == 1, what="the message to be dead-lettered after its tries")
        (_, headers), = harness.dead_letters()
    assert "OperationalError" in headers["x-dead-reason"]


@pytest.mark.parametrize("body, reason", [
    (b"\xff not json", "undecodable"),
    ({"id": "not-a-uuid", "type": OPENED}, "undecodable"),
    ({**message("bad payload"), "payload": {"title": 3}}, "undecodable"),
])
def test_an_undecodable_message_is_dead_lettered_not_dropped(tmp_path, rabbitmq_url, broker_namespace,
                                                             body, reason):
    with Harness(tmp_path, rabbitmq_url, broker_namespace) as harness:
        harness.publish(body)
        harness.publish(message("after"))
        wait_until(lambda: harness.dead_count() == 1, what="the undecodable message in the dead-letter queue")
        wait_until(lambda: harness.handled_count() == 1, what="the message behind it")
        (_, headers), = harness.dead_letters()
    assert headers["x-dead-reason"].startswith(reason)


def test_a_message_of_a_type_with_no_handler_that_reaches_the_queue_anyway_is_dead_lettered(
        tmp_path, rabbitmq_url, broker_namespace):
    """Bindings keep other types away (tests/integration/test_bindings.py); one put on the queue
    directly still never blocks it."""
    with Harness(tmp_path, rabbitmq_url, broker_namespace) as harness:
        unexpected = {**message("x"), "type": "registration.activity.unheard_of"}
        with Connection(rabbitmq_url) as connection:
            Producer(connection.channel()).publish(json.dumps(unexpected), routing_key=harness.topology.queue_name(
                "content"), content_type="application/json", delivery_mode=2)
        wait_until(lambda: harness.dead_count() == 1, what="the unhandled type in the dead-letter queue")
        (_, headers), = harness.dead_letters()
    assert "no contract" in headers["x-dead-reason"] or "no handler" in headers["x-dead-reason"]


def test_dead_letters_can_be_inspected_and_replayed_once_the_cause_is_fixed(tmp_path, rabbitmq_url,
                                                                            broker_namespace):
    from shared import dead_letters
    with Harness(tmp_path, rabbitmq_url, broker_namespace, failing_titles={"fixable"}) as harness:
        harness.publish(message("fixable"))
        wait_until(lambda: harness.dead_count() == 1, what="the failing message in the dead-letter queue")
        letter, = dead_letters.inspect(rabbitmq_url, harness.topology, "content")
        assert letter.type == OPENED and letter.attempts == 3 and "RuntimeError" in letter.reason
        assert harness.dead_count() == 1, "inspecting leaves the letter where it is"
        harness.failing_titles.clear()  # the cause is fixed
        assert dead_letters.replay(rabbitmq_url, harness.topology, "content") == (1, 0)
        wait_until(lambda: harness.handled_count() == 1, what="the replayed message to be handled")
    assert harness.effect_titles() == ["fixable"]


def test_on_the_in_process_broker_too_duplicates_are_absorbed_and_poison_is_dead_lettered(tmp_path):
    """The embedded mode's path: no retry queue there, a failed message goes straight back."""
    twice = message("twice")
    with Harness(tmp_path, "memory://", "embedded", failing_titles={"poison"}) as harness:
        for body in (twice, message("poison"), twice, message("after")):
            harness.publish(body)
        wait_until(lambda: harness.dead_count() == 1, what="the poison message in the dead-letter queue")
        wait_until(lambda: harness.handled_count() == 2, what="the others")
        (body, headers), = harness.dead_letters()
    assert body["payload"]["title"] == "poison" and headers["x-attempts"] == 3
    assert harness.effect_titles() == ["after", "twice"]



@pytest.mark.timeout(60)  # a consumer that ignored its stop would hang here until the outage ended
def test_a_consumer_stopped_during_a_database_outage_leaves_the_message_for_the_next(
        tmp_path, postgres_server, postgres_url, rabbitmq_url, broker_namespace):
    first = Harness(tmp_path, rabbitmq_url, broker_namespace, database_url=postgres_url)
    with DatabaseOutage(postgres_server, postgres_url):
        with first:
            first.publish(message("outlives its consumer"))
            wait_until(lambda: queue_depth(rabbitmq_url, first.topology.queue_name("content")) == 0,
                       what="the first consumer to take the message")
    with Harness(tmp_path, rabbitmq_url, broker_namespace, database_url=postgres_url) as second:
        wait_until(lambda: second.handled_count() == 1, what="the next consumer to handle it")
        assert second.dead_count() == 0
    assert second.effect_titles() == ["outlives its consumer"]


@pytest.mark.timeout(90)  # a replay that went round for ever would hang here
@pytest.mark.parametrize("include_undecodable", [False, True])
def test_a_replay_beside_a_running_consumer_ends_and_counts_what_was_there(
        tmp_path, rabbitmq_url, broker_namespace, include_undecodable):
    from shared import dead_letters
    with Harness(tmp_path, rabbitmq_url, broker_namespace, failing_titles={"fixable"}) as harness:
        for i in range(3):
            harness.publish(b"\xff undecodable " + bytes([48 + i]))
        harness.publish(message("fixable"))
        wait_until(lambda: harness.dead_count() == 4, what="four dead letters")
        harness.failing_titles.clear()  # the cause is fixed; the undecodable ones never will be
        replayed, left = dead_letters.replay(rabbitmq_url, harness.topology, "content",
                                             include_undecodable=include_undecodable)
        wait_until(lambda: harness.handled_count() == 1, what="the replayed message to be handled")
        wait_until(lambda: harness.dead_count() == 3, what="the undecodable ones back in the dead-letter queue")
    print(f"\nreplay (include undecodable={include_undecodable}): dead letters=4 replayed={replayed} left={left} "
          f"handled={harness.handled_count()}")
    assert (replayed, left) == ((4, 0) if include_undecodable else (1, 3))


def messages_waiting_before_the_consumer_starts(tmp_path, rabbitmq_url, broker_namespace, bodies, failing=()):
    """Harness and commits counted: the bodies are published before its consumer subscribes, so
    that they arrive together."""
    harness = Harness(tmp_path, rabbitmq_url, broker_namespace, failing_titles=failing)
    commits = []
    event.listen(harness.engine, "commit", lambda _connection: commits.append(1))
    harness.consumer.declare()
    for body in bodies:
        harness.publish(body)
    return harness, commits


def test_messages_that_arrive_together_are_committed_together_and_a_copy_among_them_once(
        tmp_path, rabbitmq_url, broker_namespace):
    good = [message(title) for title in "abcdefgh"]
    harness, commits = messages_waiting_before_the_consumer_starts(tmp_path, rabbitmq_url, broker_namespace,
                                                                   good[:4] + [good[2]] + good[4:])
    with harness:
        wait_until(lambda: harness.handled_count() == 8, what="the eight messages")
        effects = harness.effect_titles()
    left = queue_depth(rabbitmq_url, harness.topology.queue_name("content"))
    print(f"\ntogether: handled={len(effects)} commits={len(commits)} back on the queue after closing={left}")
    assert effects == list("abcdefgh")
    assert len(commits) < len(good), "messages that arrived together were committed together"
    assert left == 0, "each message handled together was acked (one multiple ack), none came back"


def test_a_bad_message_among_others_that_arrived_with_it_holds_back_none_of_them(
        tmp_path, rabbitmq_url, broker_namespace):
    good = [message(title) for title in "abcdefgh"]
    harness, _commits = messages_waiting_before_the_consumer_starts(
        tmp_path, rabbitmq_url, broker_namespace, good[:4] + [message("bad")] + good[4:], failing=("bad",))
    with harness:
        wait_until(lambda: harness.handled_count() == 8 and harness.dead_count() == 1, what="the good ones and the bad")
        effects = harness.effect_titles()
    assert effects == list("abcdefgh"), "each good message once; the bad one's effect never kept"
