"""The relay against real RabbitMQ: every committed fact is published, in order, once."""
import random
from collections import Counter
import threading
import time

import pytest
from kombu import Connection
from sqlalchemy import MetaData

from shared.checkpoints import Checkpoints
from shared.contracts import message_id
from shared.database import create_tables, make_engine
from shared.eventstore import EventStore, NewFact, RecordedFact
from shared.loops import Loop
from shared.relay import Relay
from shared.topology import Topology
from tests.support.background import Background
from tests.support.broker import drain
from tests.support.facts import every_fact_as_activity_opened
from tests.support.waiting import wait_until

pytestmark = pytest.mark.real_server
OPENED = "registration.activity.opened"


class Harness:
    def __init__(self, database_url, amqp_url, namespace, serialise_appends=True, replay_on_start=False):
        metadata = MetaData()
        self.store = EventStore(metadata, serialise_appends=serialise_appends)
        self.checkpoints = Checkpoints(metadata)
        self.engine = make_engine(database_url)
        create_tables(self.engine, metadata)
        self.amqp_url, self.topology = amqp_url, Topology(namespace)
        self.relay = Relay(self.engine, self.store, self.checkpoints, amqp_url, self.topology,
                           every_fact_as_activity_opened, batch_size=7, replay_on_start=replay_on_start)
        self.background = Background(Loop("relay", self.relay.step, idle_wait=0.005, on_error=self.relay.close))
        with Connection(amqp_url) as connection:  # the consumer's queue, declared before the relay publishes
            self.topology.declare_consumer(connection, "content", [OPENED])

    def __enter__(self):
        self.background.start()
        return self

    def __exit__(self, *_):
        self.background.stop()
        self.relay.close()
        self.engine.dispose()

    def append(self, stream_id, label, hold_open=0.0):
        with self.engine.begin() as db:
            version = self.store.stream_version(db, stream_id)
            fact, = self.store.append(db, stream_id, version, [NewFact("Happened", {"label": label})])
            time.sleep(hold_open)  # commit late: after writers that appended later
        return message_id("registration", fact.stream_id, fact.version)

    def relayed_everything(self):
        with self.engine.connect() as db:
            return self.checkpoints.get(db, "relay") == self.store.last_position(db)

    def published_ids(self):
        queue = self.topology.queue_name("content")
        return [body["id"] for body, _ in drain(self.amqp_url, queue)]


def test_concurrent_writers_committing_out_of_order_lose_nothing_and_duplicate_nothing(
        database_url, rabbitmq_url, broker_namespace):
    writers, each = 6, 15
    expected = []
    with Harness(database_url, rabbitmq_url, broker_namespace) as harness:
        def writer(number):
            for i in range(each):
                expected.append(harness.append(f"w{number}", f"w{number}-{i}", random.uniform(0, 0.02)))
        threads = [threading.Thread(target=writer, args=(n,)) for n in range(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wait_until(harness.relayed_everything, what="the relay to reach the end of the log")
        published = harness.published_ids()
    lost, duplicated = set(expected) - set(published), len(published) - len(set(published))
    print(f"\nrelay: committed={len(expected)} published={len(published)} lost={len(lost)} duplicated={duplicated}")
    assert (len(lost), duplicated) == (0, 0)
    assert len(published) == writers * each


def test_the_relay_resumes_from_its_checkpoint_after_a_restart(database_url, rabbitmq_url, broker_namespace):
    with Harness(database_url, rabbitmq_url, broker_namespace) as first:
        before = [first.append("s", f"before-{i}") for i in range(10)]
        wait_until(first.relayed_everything, what="the first relay to catch up")
    with Harness(database_url, rabbitmq_url, broker_namespace) as second:
        after = [second.append("s", f"after-{i}") for i in range(10)]
        wait_until(second.relayed_everything, what="the restarted relay to catch up")
        assert second.published_ids() == before + after


def test_without_the_append_lock_a_late_commit_is_skipped(postgres_url, rabbitmq_url, broker_namespace):
    """The loss test can fail: switch the protection off and the relay steps over a late commit."""
    with Harness(postgres_url, rabbitmq_url, broker_namespace, serialise_appends=False) as harness:
        late_appended, early_committed = threading.Event(), threading.Event()
        ids = {}

        def late_writer():
            with harness.engine.begin() as db:
                fact, = harness.store.append(db, "late", 0, [NewFact("Happened", {"label": "late"})])
                ids["late"] = message_id("registration", fact.stream_id, fact.version)
                late_appended.set()
                early_committed.wait(10)
                wait_until(harness.relayed_everything, what="the relay to pass the early fact")

        thread = threading.Thread(target=late_writer)
        thread.start()
        late_appended.wait(10)
        ids["early"] = harness.append("early", "early")
        early_committed.set()
        thread.join()
        wait_until(harness.relayed_everything, what="the relay to reach the end")
        published = harness.published_ids()
    assert ids["early"] in published
    assert ids["late"] not in published, "without the lock the late commit should have been skipped"


def test_on_the_in_process_broker_the_relay_replays_the_log_at_start(tmp_path):
    """That broker forgets everything when the process stops; the log does not."""
    database_url = f"sqlite:///{tmp_path / 'relay.db'}"
    with Harness(database_url, "memory://", "embedded", replay_on_start=True) as first:
        ids = [first.append("s", f"fact-{i}") for i in range(3)]
        wait_until(first.relayed_everything, what="the first relay to publish")
        assert first.published_ids() == ids  # and gone from the broker, as at a restart
    with Harness(database_url, "memory://", "embedded", replay_on_start=True) as restarted:
        published = []
        wait_until(lambda: published.extend(restarted.published_ids()) or len(published) >= len(ids),
                   what="the restarted relay to publish the log again")
        assert published == ids


def test_a_batch_not_confirmed_in_time_is_published_again_never_skipped(database_url, rabbitmq_url,
                                                                          broker_namespace):
    """A confirm timeout means 'outcome unknown': the checkpoint stays, the batch goes out again."""
    from shared.confirms import Unconfirmed
    harness = Harness(database_url, rabbitmq_url, broker_namespace)
    ids = [harness.append("s", f"fact-{i}") for i in range(5)]
    harness.relay.confirm_timeout = 0  # no broker confirms that fast
    with pytest.raises(Unconfirmed):
        harness.relay.step()
    assert not harness.relayed_everything(), "the checkpoint must not move past unconfirmed facts"
    harness.relay.close()
    harness.relay.confirm_timeout = 10
    with harness:
        wait_until(harness.relayed_everything, what="the relay to publish the batch again")
        published = harness.published_ids()
    print(f"\nunconfirmed batch: committed=5 published={len(published)} lost={len(set(ids) - set(published))}")
    assert set(published) == set(ids)


def test_two_relays_at_once_skip_nothing(
        database_url, rabbitmq_url, broker_namespace):
    """As if a leader lost its lock mid-batch: at worst a batch goes out twice, for the inboxes."""
    first = Harness(database_url, rabbitmq_url, broker_namespace)
    second = Harness(database_url, rabbitmq_url, broker_namespace)
    for harness in (first, second):
        harness.relay.leadership.held = lambda: True
    ids = [first.append("s", f"fact-{i}") for i in range(40)]
    with first, second:
        wait_until(first.relayed_everything, what="the relays to reach the end of the log")
    published = first.published_ids()
    copies = max(Counter(published).values())
    print(f"\ntwo relays: committed=40 published={len(published)} lost={len(set(ids) - set(published))} "
          f"most copies={copies}")
    assert set(published) == set(ids)
    assert copies <= 2, "a fenced relay publishes a batch at most once more than the other"


def test_a_fact_that_breaks_its_contract_is_set_aside_not_blocking_the_rest(
        database_url, rabbitmq_url, broker_namespace):
    harness = Harness(database_url, rabbitmq_url, broker_namespace)
    ids = [harness.append("s", "fine-1"), harness.append("s", "tab\tin the title"), harness.append("s", "fine-2")]
    with harness:
        wait_until(harness.relayed_everything, what="the relay to step over the bad fact")
        published = harness.published_ids()
        with harness.engine.connect() as db:
            set_aside = harness.checkpoints.set_aside_counts(db)
    assert published == [ids[0], ids[2]]
    assert set_aside == {"relay": 1}


def test_a_set_aside_fact_neither_wedges_a_replay_nor_stays_lost_once_fixed(
        database_url, rabbitmq_url, broker_namespace):
    harness = Harness(database_url, rabbitmq_url, broker_namespace, replay_on_start=True)
    bad = harness.append("s", "tab\tin the title")
    with harness:
        wait_until(harness.relayed_everything, what="the relay to step over the bad fact")
    restarted = Harness(database_url, rabbitmq_url, broker_namespace, replay_on_start=True)
    with restarted:  # replays the log from the start and meets the bad fact again
        after = restarted.append("s", "after the restart")
        wait_until(restarted.relayed_everything, what="the restarted relay to reach the end")
    assert after in restarted.published_ids()

    restarted.relay.translate = lambda db, fact: every_fact_as_activity_opened(
        db, RecordedFact(**{**fact.__dict__, "data": {"label": fact.data["label"].replace("\t", " ")}}))
    assert restarted.relay.republish_set_aside() == (1, 0)  # the cause fixed, it goes out after all
    restarted.relay.close()
    assert restarted.published_ids() == [bad]
    with restarted.engine.connect() as db:
        assert restarted.checkpoints.set_aside_counts(db) == {}
