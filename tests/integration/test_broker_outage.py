"""A broker outage only pauses the relay and the consumer: nothing committed is lost, nothing is
handled twice. The outage is a TCP proxy of the test's own, cut and restored."""
import threading
from urllib.parse import urlsplit, urlunsplit

import pytest

from shared.confirms import Unconfirmed
from shared.consumer import STALE_AFTER_HEARTBEATS
from tests.integration.test_consumer import Harness as ConsumerHarness, message
from tests.integration.test_relay import Harness as RelayHarness
from tests.support.proxy import TcpProxy
from tests.support.waiting import wait_until

pytestmark = pytest.mark.real_server


@pytest.fixture
def proxy(rabbitmq_url):
    parts = urlsplit(rabbitmq_url)
    proxy = TcpProxy(parts.hostname, parts.port or 5672).start()
    yield proxy
    proxy.cut()


def through(url: str, proxy: TcpProxy) -> str:
    parts = urlsplit(url)
    netloc = f"{parts.username}:{parts.password}@127.0.0.1:{proxy.port}" if parts.username else f"127.0.0.1:{proxy.port}"
    return urlunsplit(parts._replace(netloc=netloc))


def test_facts_committed_while_the_broker_is_away_are_published_when_it_returns(
        database_url, rabbitmq_url, broker_namespace, proxy):
    with RelayHarness(database_url, through(rabbitmq_url, proxy), broker_namespace) as harness:
        before = [harness.append("s", f"before-{i}") for i in range(10)]
        wait_until(harness.relayed_everything, what="the relay to publish before the outage")
        proxy.cut()
        during = [harness.append("s", f"during-{i}") for i in range(10)]
        proxy.restore()
        wait_until(harness.relayed_everything, timeout=60, what="the relay to catch up after the outage")
    harness.amqp_url = rabbitmq_url
    published = harness.published_ids()
    lost = set(before + during) - set(published)
    print(f"\nrelay outage: committed=20 published={len(published)} lost={len(lost)} "
          f"republished={len(published) - len(set(published))}")
    assert not lost


def test_messages_waiting_during_an_outage_are_each_handled_once_after_it(
        tmp_path, rabbitmq_url, broker_namespace, proxy):
    with ConsumerHarness(tmp_path, through(rabbitmq_url, proxy), broker_namespace) as harness:
        harness.amqp_url = rabbitmq_url  # the test publishes directly; only the worker goes through the proxy
        for i in range(5):
            harness.publish(message(f"before-{i}"))
        wait_until(lambda: harness.handled_count() == 5, what="the messages before the outage")
        proxy.cut()
        for i in range(5):
            harness.publish(message(f"during-{i}"))
        proxy.restore()
        wait_until(lambda: harness.handled_count() == 10, timeout=60, what="the messages sent during the outage")
        titles = harness.effect_titles()
    print(f"\nconsumer outage: published=10 handled={len(titles)} duplicated={len(titles) - len(set(titles))}")
    assert titles == sorted([f"before-{i}" for i in range(5)] + [f"during-{i}" for i in range(5)])


FAST_HEARTBEAT = 2  # seconds: a frozen connection is given up within about twice this


def test_a_consumer_whose_broker_vanished_without_a_close_reconnects_and_handles_what_came_after(
        tmp_path, rabbitmq_url, broker_namespace, proxy):
    """A frozen proxy is a half-open connection: no close reaches the consumer. Its heartbeat
    notices, health reports no live subscription meanwhile, and it subscribes again."""
    with ConsumerHarness(tmp_path, through(rabbitmq_url, proxy), broker_namespace,
                         heartbeat=FAST_HEARTBEAT) as harness:
        harness.amqp_url = rabbitmq_url  # the test publishes directly; only the consumer goes through the proxy
        for i in range(3):
            harness.publish(message(f"before-{i}"))
        wait_until(lambda: harness.handled_count() == 3, what="the messages before the freeze")
        proxy.freeze()
        for i in range(5):
            harness.publish(message(f"after-{i}"))
        stale = STALE_AFTER_HEARTBEATS * FAST_HEARTBEAT
        wait_until(lambda: harness.silent_for() > stale, what="the liveness row to show no live subscription")
        silent = harness.silent_for()
        proxy.thaw()
        wait_until(lambda: harness.handled_count() == 8, timeout=60, what="the messages sent after the freeze")
        wait_until(lambda: harness.silent_for() < stale, what="the liveness row to show the new subscription")
        titles = harness.effect_titles()
    print(f"\nfrozen connection: published=8 handled={len(titles)} duplicated={len(titles) - len(set(titles))} "
          f"lost={8 - len(set(titles))} reported silent for {silent:.0f}s")
    assert titles == sorted([f"before-{i}" for i in range(3)] + [f"after-{i}" for i in range(5)])


def test_the_relay_gives_up_a_frozen_connection_at_once_and_publishes_once_it_is_back(
        database_url, rabbitmq_url, broker_namespace, proxy):
    harness = RelayHarness(database_url, through(rabbitmq_url, proxy), broker_namespace)
    harness.relay.confirm_timeout = 2
    before = [harness.append("s", f"before-{i}") for i in range(5)]
    harness.relay.step()
    proxy.freeze()
    during = [harness.append("s", f"during-{i}") for i in range(5)]
    with pytest.raises(Unconfirmed):
        harness.relay.step()
    closing = threading.Thread(target=harness.relay.close, daemon=True)
    closing.start()
    closing.join(timeout=10)  # a polite close waited on the frozen broker for about 50 s
    assert not closing.is_alive(), "the relay's close waited on a broker that does not answer"
    proxy.thaw()
    with harness:
        wait_until(harness.relayed_everything, timeout=60, what="the relay to publish after the freeze")
    harness.amqp_url = rabbitmq_url
    published = harness.published_ids()
    lost = set(before + during) - set(published)
    print(f"\nrelay frozen: committed=10 published={len(published)} lost={len(lost)} "
          f"republished={len(published) - len(set(published))}")
    assert not lost
