"""`make run` with the servers' URLs set runs every service as its own processes on RabbitMQ,
PostgreSQL and SMTP, loads the demo week, takes a registration to the inbox, restarts a process
that dies, and stops on Ctrl-C."""
import json
import os
import signal
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
        first = register(system, activity_id, smtp_server, "Run Person")

        killed = started_pids(system, "notifications-worker")[-1]
        os.kill(killed, signal.SIGKILL)
        restarted = wait_until(lambda: [pid for pid in started_pids(system, "notifications-worker") if pid != killed],
                               timeout=30, what="the supervisor to start the worker again")
        second = register(system, activity_id, smtp_server, "After Restart")
        assert system.process.poll() is None, "one process dying must not stop the others"
    print(f"\nmake run supervision: killed pid={killed} restarted as {restarted[-1]} "
          f"emails before={len(first)} after={len(second)}")
    assert len(first) == 1 and "Run Person" in first[0].get_body(("plain",)).get_content()
    assert len(second) == 1 and "After Restart" in second[0].get_body(("plain",)).get_content()
    assert not list(system.mail_dir.glob("*.eml")), "with SMTP_URL set no mail goes to files"


def register(system, activity_id, smtp_server, name):
    address = f"run-{uuid.uuid4().hex[:6]}@example.org"
    assert FormClient(system.urls["registration"], activity_id).send(name, address).status_code == 303
    return wait_until(lambda: smtp_server.to(address), timeout=60, what=f"the confirmation email to {name}")


def started_pids(system, process: str) -> list[int]:
    """The pids the launcher logged starting this process under, oldest first."""
    pids = []
    for line in system.stderr.read_text(errors="replace").splitlines():
        try:
            entry = json.loads(line)
        except ValueError:
            continue
        if isinstance(entry, dict) and entry.get("message") == "process started" and entry.get("process") == process:
            pids.append(entry["pid"])
    return pids
