"""Each consumer's queue is bound to exactly the message types its handlers accept: a type another
service starts publishing never reaches a bystander (so never turns its health red), stale
bindings go at start, and a fact published before its consumer runs is not lost."""
import json

import pytest
from kombu import Connection, Producer

from shared.settings import load
from tests.integration.test_consumer import OPENED, Harness, message
from tests.support.broker import drain, queue_depth
from tests.support.waiting import wait_until

from content.bootstrap import bootstrap as content_bootstrap

pytestmark = pytest.mark.real_server
UNHEARD_OF = "registration.activity.unheard_of"  # a type a newer registration might publish
NOT_HANDLED = "registration.registration.confirmed"  # a contract type content has no handler for


def unrouted(harness) -> list:
    return drain(harness.amqp_url, f"{harness.topology.namespace}.unrouted")


def test_a_type_the_service_does_not_handle_is_not_delivered_to_it(tmp_path, rabbitmq_url, broker_namespace):
    with Harness(tmp_path, rabbitmq_url, broker_namespace) as harness:
        harness.publish({**message("new type"), "type": UNHEARD_OF}, routing_key=UNHEARD_OF)
        harness.publish(message("after"))
        wait_until(lambda: harness.handled_count() == 1, what="the handled message behind it")
        kept = unrouted(harness)
        dead = harness.dead_count()
    print(f"\nunhandled type: published=2 handled=1 dead-lettered={dead} kept unrouted={len(kept)}")
    assert dead == 0
    assert [body["type"] for body, _ in kept] == [UNHEARD_OF], "kept by the alternate exchange, not lost"


def test_stale_bindings_are_removed_when_the_consumer_starts(tmp_path, rabbitmq_url, broker_namespace):
    harness = Harness(tmp_path, rabbitmq_url, broker_namespace)
    main = harness.topology.queues("content").main
    with Connection(rabbitmq_url) as connection:  # as an earlier release left it: wildcard, and a type given up
        harness.topology.declare(connection)
        bound = main.bind(connection.default_channel)
        bound.declare()
        for key in ("registration.activity.*", NOT_HANDLED):
            bound.bind_to(exchange=harness.topology.facts, routing_key=key)
    with harness:
        harness.publish({**message("new type"), "type": UNHEARD_OF}, routing_key=UNHEARD_OF)
        harness.publish({**message("given up"), "type": NOT_HANDLED}, routing_key=NOT_HANDLED)
        harness.publish(message("after"))
        wait_until(lambda: harness.handled_count() == 1, what="the handled message behind them")
        kept, dead = unrouted(harness), harness.dead_count()
    print(f"\nstale bindings: published=3 handled=1 dead-lettered={dead} kept unrouted={len(kept)}")
    assert dead == 0, "a stale binding still routed a type the consumer does not handle"
    assert sorted(body["type"] for body, _ in kept) == sorted([UNHEARD_OF, NOT_HANDLED])


@pytest.mark.parametrize("broker", ["rabbitmq", "in-process"])
def test_a_fact_published_before_its_consumer_runs_is_handled_when_it_does(
        tmp_path, rabbitmq_url, broker_namespace, broker):
    amqp_url = rabbitmq_url if broker == "rabbitmq" else "memory://"
    harness = Harness(tmp_path, amqp_url, broker_namespace)
    harness.consumer.declare()  # what `declare-queues` does, before any relay publishes
    harness.publish(message("early"))
    with harness:
        wait_until(lambda: harness.handled_count() == 1, what="the early message")
    assert harness.effect_titles() == ["early"]


def test_the_embedded_mode_declares_each_consumers_queue_before_any_loop_starts(tmp_path, broker_namespace):
    settings = load("content", {"VAR_DIR": str(tmp_path), "BROKER_NAMESPACE": broker_namespace})
    content = content_bootstrap(settings)
    content.runtime.loops(content.parts, {"relay", "worker"})  # built, not started
    topology = content.runtime.topology
    with Connection("memory://") as connection:
        Producer(connection.channel(), exchange=topology.facts).publish(
            json.dumps(message("relayed at once")), routing_key=OPENED, content_type="application/json")
    assert queue_depth("memory://", topology.queue_name("content")) == 1
    content.runtime.engine.dispose()
