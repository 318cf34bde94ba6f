"""/metrics as production runs it: gunicorn with two workers and deploy/gunicorn.conf.py, whose
scrape adds up both workers; and a loop process's listener, counting what its loops did."""
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families

from tests.conftest import free_port
from tests.support.processes import ProcessGroup
from tests.support.waiting import wait_until

pytestmark = pytest.mark.integration
GUNICORN_CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"
TOKEN = "a-metrics-token-of-the-tests-own-0123456789"
# the projections content's worker follows
CONTENT_PROJECTIONS_CAUGHT_UP = {"projection:content": 0, "projection:articles": 0, "projection:search": 0}


def scrape(url: str, token: str | None = None) -> list:
    """Every sample at url, or [] while nothing answers there."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    try:
        response = requests.get(url, headers=headers, timeout=5)
    except requests.ConnectionError:
        return []
    response.raise_for_status()
    return [sample for family in text_string_to_metric_families(response.text) for sample in family.samples]


def total(samples: list, name: str, **labels) -> float:
    return sum(sample.value for sample in samples
               if sample.name == name and labels.items() <= sample.labels.items())


def answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except (requests.ConnectionError, requests.Timeout):
        return False


def workers_serving_the_index(access_log: Path) -> set[str]:
    """The worker processes that have answered GET / (gunicorn logs each request with its pid)."""
    lines = access_log.read_text().splitlines() if access_log.exists() else []
    return {line.split()[0] for line in lines if line.endswith("GET / HTTP/1.1")}


def test_metrics_add_up_the_requests_both_gunicorn_workers_served(tmp_path):
    port, access_log = free_port(), tmp_path / "access.log"
    group = ProcessGroup(tmp_path, {"VAR_DIR": str(tmp_path / "var"),
                                    "PROMETHEUS_MULTIPROC_DIR": str(tmp_path / "prometheus")})
    (tmp_path / "prometheus").mkdir()
    subprocess.run([sys.executable, "-m", "registration", "seed-demo"], env=group.env, check=True)  # tables first
    group.start("registration-web", "-m", "gunicorn", "-c", str(GUNICORN_CONFIG), "--workers", "2",
                "--bind", f"127.0.0.1:{port}", "--access-logfile", str(access_log),
                "--access-logformat", "%(p)s %(r)s", "registration.app:create_app()")
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: group.check_alive() or answers(f"{url}/healthz"), timeout=60, what="gunicorn")
        sent = 0
        with ThreadPoolExecutor(8) as pool:
            while sent == 0 or len(workers_serving_the_index(access_log)) < 2:
                statuses = list(pool.map(lambda _: requests.get(f"{url}/", timeout=10).status_code, range(32)))
                assert statuses == [200] * 32
                sent += 32
                assert sent <= 3200, "one worker served every request"
        scraped = scrape(f"{url}/metrics")
    finally:
        group.stop()
    print(f"index requests sent: {sent}, answered by workers {sorted(workers_serving_the_index(access_log))}")
    assert total(scraped, "cpw_http_requests_total", route="/", method="GET", status="200") == sent
    assert total(scraped, "cpw_http_request_duration_seconds_count", route="/") == sent


@pytest.mark.real_server
def test_a_loop_process_answers_on_its_listener_with_what_its_loops_did(
        tmp_path, new_postgres_database, rabbitmq_url, broker_namespace):
    ports = {"relay": free_port(), "projector": free_port(), "worker": free_port()}
    group = ProcessGroup(tmp_path, {
        "AMQP_URL": rabbitmq_url, "BROKER_NAMESPACE": broker_namespace, "VAR_DIR": str(tmp_path / "var"),
        "REGISTRATION_DATABASE_URL": new_postgres_database(), "CONTENT_DATABASE_URL": new_postgres_database(),
        "METRICS_TOKEN": TOKEN})
    subprocess.run([sys.executable, "-m", "content", "declare-queues"], env=group.env, check=True)
    subprocess.run([sys.executable, "-m", "registration", "seed-demo"], env=group.env, check=True)
    group.env["METRICS_PORT"] = str(ports["worker"])
    group.start("content-worker", "-m", "content", "worker")
    group.env["METRICS_PORT"] = str(ports["projector"])
    group.start("registration-projector", "-m", "registration", "projector")
    group.env["METRICS_PORT"] = str(ports["relay"])
    group.start("registration-relay", "-m", "registration", "relay")
    relay, projector, worker = (f"http://127.0.0.1:{port}/metrics" for port in ports.values())
    try:
        def caught_up():
            group.check_alive()
            relayed, projected, handled = scrape(relay, TOKEN), scrape(projector, TOKEN), scrape(worker, TOKEN)
            published = total(relayed, "cpw_messages_published_total")
            return published > 0 and total(handled, "cpw_messages_handled_total", service="content") == published \
                and lag(handled) == CONTENT_PROJECTIONS_CAUGHT_UP and lag(relayed) == {"relay": 0} \
                and lag(projected) == {"projection:activities": 0} and (relayed, handled)
        relayed, handled = wait_until(caught_up, timeout=60, what="every message handled, every follower caught up")
        refused = requests.get(worker, timeout=5).status_code
    finally:
        group.stop()
    print(f"published {total(relayed, 'cpw_messages_published_total')}, "
          f"handled {total(handled, 'cpw_messages_handled_total')}")
    assert total(relayed, "cpw_loop_work_total", loop="registration-relay", kind="relay") > 0
    assert total(handled, "cpw_loop_work_total", loop="content-consumer", kind="consumer") > 0
    assert total(handled, "cpw_facts_projected_total", projection="content") > 0
    assert refused == 401


def lag(samples: list) -> dict:
    """Each follower's lag as one process shows it: only the followers that process runs."""
    return {sample.labels["follower"]: sample.value for sample in samples if sample.name == "cpw_follower_lag_facts"}
