"""The form's limits hold across gunicorn workers: the counters live in the service's PostgreSQL
database, which every worker shares, and a forged X-Forwarded-For from an untrusted peer changes
nothing."""
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest
import requests
from sqlalchemy import func, select

from shared.database import make_engine
from shared.limits import RateLimits
from shared.settings import Limit, load
from tests.support.clock import Clock
from tests.conftest import free_port
from tests.e2e.conftest import FormClient
from tests.support.processes import ProcessGroup
from tests.support.waiting import wait_until
from tests.support.activities import open_activity_command

from registration.bootstrap import bootstrap

pytestmark = pytest.mark.real_server
LIMIT, SENT = 8, 24


def open_activity(env: dict) -> str:
    """Opened through the handlers and projected, as the admin API and the worker would."""
    service = bootstrap(load("registration", env))
    command = open_activity_command(title="Limits")
    service.handle(command)
    service.runtime.projector(service.parts).catch_up()
    service.runtime.engine.dispose()
    return command.activity_id


@pytest.fixture
def registration(tmp_path, postgres_url):
    port = free_port()
    env = {"REGISTRATION_DATABASE_URL": postgres_url, "VAR_DIR": str(tmp_path / "var"),
           "REGISTRATION_PORT": str(port), "SUBMISSIONS_PER_CLIENT": f"{LIMIT}/600",
           "SUBMISSIONS_PER_ADDRESS": "1000/600"}
    activity_id = open_activity(env)
    group = ProcessGroup(tmp_path, env)
    group.start("registration-web", "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
                "registration.app:create_app()")
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until(lambda: group.check_alive() or _answers(url), timeout=60, what="gunicorn to answer")
        yield url, activity_id, group
    finally:
        group.stop()


def _answers(url: str) -> bool:
    try:
        return requests.get(f"{url}/healthz", timeout=2).status_code == 200
    except (requests.ConnectionError, requests.Timeout):
        return False


def test_the_per_client_limit_holds_across_two_workers_whatever_x_forwarded_for_says(registration):
    url, activity_id, group = registration
    forms = [FormClient(url, activity_id) for _ in range(SENT)]  # each its own connection and CSRF token

    def send(index: int) -> int:
        forms[index].browser.headers["X-Forwarded-For"] = f"203.0.113.{index}"  # forged: the peer is no proxy
        return forms[index].send(f"Person {index}", f"person-{index}@example.org").status_code

    with ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(send, range(SENT)))
    group.check_alive()
    print(f"\nsent={SENT} limit={LIMIT} accepted={answers.count(303)} refused={answers.count(429)}")
    assert answers.count(303) == LIMIT and answers.count(429) == SENT - LIMIT, answers
    refused = forms[answers.index(429)].send("Late", "late@example.org")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0


def test_windows_that_have_ended_are_swept_now_and_then_not_on_every_request(tmp_path):
    clock = Clock(datetime(2030, 11, 1, tzinfo=timezone.utc))
    limits = RateLimits(make_engine(f"sqlite:///{tmp_path / 'limits.db'}"), "secret", clock)
    limits.create_tables()

    def windows() -> int:
        with limits.engine.connect() as db:
            return db.execute(select(func.count()).select_from(limits.table)).scalar()

    with limits.engine.begin() as db:
        assert limits.hit(db, "client", "a", Limit(2, 10)) is None
        assert limits.hit(db, "client", "b", Limit(2, 10)) is None
    clock.move(seconds=20)  # both windows have ended, but the last sweep was less than a minute ago
    with limits.engine.begin() as db:
        limits.hit(db, "client", "c", Limit(2, 10))
    assert windows() == 3
    clock.move(seconds=RateLimits.SWEEP_EVERY)
    with limits.engine.begin() as db:
        assert limits.hit(db, "client", "c", Limit(1, 10)) is None  # a window of its own, after the sweep
    assert windows() == 1
