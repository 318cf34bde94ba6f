"""`make run` with the servers' URLs set runs every service as its own processes on RabbitMQ,
PostgreSQL and SMTP, loads the demo week, takes a registration to the inbox and stops on Ctrl-C."""
import uuid

import pytest
import requests

from tests.e2e.conftest import SERVICES, FormClient
from tests.support.launched import ACTIVITY_LINK, launched_system
from tests.support.waiting import wait_until

pytestmark = pytest.mark.real_server


def test_make_run_with_urls_set_uses_the_real_servers(tmp_path, new_postgres_database, rabbitmq_url,
                                                       broker_namespace, smtp_server):
    environ = {"AMQP_URL": rabbitmq_url, "BROKER_NAMESPACE": broker_namespace, "SMTP_URL": smtp_server.url,
               **{f"{service.upper()}_DATABASE_URL": new_postgres_database() for service in SERVICES}}
    with launched_system(tmp_path, environ=environ) as system:
        assert "processes: gunicorn, relay and worker per service" in system.stdout.read_text()

        index = requests.get(system.urls["registration"] + "/", timeout=10).text
        activity_id = ACTIVITY_LINK.search(index).group(0).split("/")[-1].rstrip('"')  # a demo activity
        address = f"run-{uuid.uuid4().hex[:6]}@example.org"
        assert FormClient(system.urls["registration"], activity_id).send("Run Person", address).status_code == 303
        received = wait_until(lambda: smtp_server.to(address), timeout=60, what="the confirmation email")
    assert len(received) == 1 and "Run Person" in received[0].get_content()
    assert not list(system.mail_dir.glob("*.eml")), "with SMTP_URL set no mail goes to files"
