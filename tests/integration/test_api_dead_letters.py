"""The dead-letter endpoints every consuming service's API has, on real RabbitMQ: a letter is listed
with its reason and stays put; replay moves it back onto the service's queue."""
import json

import pytest
from kombu import Connection, Exchange, Producer

from shared.settings import DEVELOPMENT_SECRET, load
from tests.support.broker import queue_depth

from content.app import create_app
from content.bootstrap import bootstrap

pytestmark = pytest.mark.real_server
ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}


@pytest.fixture
def content(tmp_path, rabbitmq_url, broker_namespace):
    built = bootstrap(load("content", {"VAR_DIR": str(tmp_path), "AMQP_URL": rabbitmq_url,
                                       "BROKER_NAMESPACE": broker_namespace}))
    yield built, create_app(built).test_client()
    built.runtime.engine.dispose()


def kill_a_letter(amqp_url, topology, reason):
    with Connection(amqp_url, transport_options={"confirm_publish": True}) as connection:
        topology.declare_consumer(connection, "content", [])
        Producer(connection.channel()).publish(
            json.dumps({"type": "registration.activity.opened"}), exchange=Exchange(""),
            routing_key=topology.queue_name("content", "dead"), message_id="m-1", delivery_mode=2,
            headers={"x-dead-reason": reason, "x-attempts": 3}, content_type="application/json")


def test_a_dead_letter_is_listed_with_its_reason_then_replayed_onto_the_queue(content, rabbitmq_url):
    service, client = content
    topology = service.runtime.topology
    assert client.get("/api/dead-letters", headers=ADMIN).json == []  # no queue declared yet: none dead
    kill_a_letter(rabbitmq_url, topology, "failed 3 times: RuntimeError")
    listed = client.get("/api/dead-letters", headers=ADMIN)
    assert listed.status_code == 200 and listed.json == [{"message_id": "m-1", "type": "registration.activity.opened",
                                                          "reason": "failed 3 times: RuntimeError", "attempts": 3}]
    assert queue_depth(rabbitmq_url, topology.queue_name("content", "dead")) == 1, "listing leaves it there"
    assert client.post("/api/dead-letters/replay", headers=ADMIN).json == {"replayed": 0, "left": 1}, \
        "a letter that cannot be decoded stays, unless asked"
    assert client.post("/api/dead-letters/replay?include_undecodable=true", headers=ADMIN).json == {
        "replayed": 1, "left": 0}
    assert queue_depth(rabbitmq_url, topology.queue_name("content", "dead")) == 0
    assert queue_depth(rabbitmq_url, topology.queue_name("content")) == 1


def test_an_unreachable_broker_is_a_503_not_a_500(tmp_path):
    built = bootstrap(load("content", {"VAR_DIR": str(tmp_path), "AMQP_URL": "amqp://guest:guest@127.0.0.1:1//"}))
    client = create_app(built).test_client()
    down = client.get("/api/dead-letters", headers=ADMIN)
    assert down.status_code == 503 and "broker cannot be reached" in down.json["message"]
    assert client.post("/api/dead-letters/replay", headers=ADMIN).status_code == 503
    built.runtime.engine.dispose()
