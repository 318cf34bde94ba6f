"""The whole multi-process system, started the way `make run` starts it with the servers' URLs set
(deploy/launch.py: gunicorn with 2 workers, a relay and a worker per service) through the tests'
launcher helper, on its own ports, VAR_DIR, broker namespace and databases, with SMTP_URL at the
bench's own sink; and what the whole-system measurements share: opening activities, waiting for
their pages and for mails, and counting lost and duplicated mails."""
import tempfile
import time
import uuid
from contextlib import ExitStack, contextmanager
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests
from kombu import Connection

from shared.settings import DEVELOPMENT_SECRET
from shared.topology import Topology

from bench.common import RABBITMQ, UNLIMITED, Absolute, Database
from bench.memory import megabytes
from bench.sink import SmtpSink
from tests.support.launched import launched_system

SERVICES = ("registration", "content", "notifications")
ADMIN = {"Authorization": f"Bearer {DEVELOPMENT_SECRET}"}
RSS_GOAL_MB = 120


class System:
    def __init__(self, launched, sink: SmtpSink):
        self.launched, self.sink = launched, sink
        self.url = launched.urls["registration"]

    @property
    def pid(self) -> int:
        return self.launched.process.pid

    def open_activities(self, count: int, capacity: int, timeout: float = 60.0) -> list[str]:
        """Open activities through the admin API; return once every page answers."""
        ids = [self._open(capacity) for _ in range(count)]
        wait_for(lambda: all(requests.get(f"{self.url}/activities/{i}", timeout=5).status_code == 200 for i in ids),
                 timeout, "the new activities' pages")
        return ids

    def _open(self, capacity: int) -> str:
        starts = (datetime.now(timezone.utc) + timedelta(days=30)).replace(microsecond=0)
        response = requests.post(f"{self.url}/api/activities", headers=ADMIN, timeout=30, json={
            "organiser": "Bench Network", "title": "Bench activity", "summary": "", "attendance": "online",
            "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "venue": "", "region": "Online", "capacity": capacity, "open": True})
        response.raise_for_status()
        return response.json()["activity_id"]

    def activity(self, activity_id: str) -> dict:
        return requests.get(f"{self.url}/api/activities/{activity_id}", headers=ADMIN, timeout=10).json()

    def mails_to(self, recipients: set[str], timeout: float) -> dict[str, list[float]]:
        """Wait (up to timeout) until each recipient has a mail; {recipient: arrival times}."""
        def arrived():
            found: dict[str, list[float]] = {}
            for arrival in self.sink.snapshot():
                for recipient in arrival.recipients:
                    if recipient in recipients:
                        found.setdefault(recipient, []).append(arrival.at)
            return found
        deadline = time.monotonic() + timeout
        while len(found := arrived()) < len(recipients) and time.monotonic() < deadline:
            time.sleep(0.2)  # polling the sink, bounded by the deadline
        return found

    def peak_rss(self, label: str) -> Absolute:
        sizes = megabytes(self.pid, "VmHWM")
        largest = max(sizes.values(), default=0.0)
        return Absolute(f"peak RSS, largest process ({label})", "MB", largest, f"< {RSS_GOAL_MB} MB",
                        largest < RSS_GOAL_MB, detail=sizes)


def mail_counts(accepted: set[str], mails: dict[str, list[float]]) -> tuple[int, int]:
    """(lost, duplicated): accepted without a mail, and mails beyond the first to one recipient."""
    lost = len(accepted - set(mails))
    duplicated = sum(len(times) - 1 for recipient, times in mails.items() if recipient in accepted)
    return lost, duplicated


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(0.2)  # polling the system, bounded by the deadline


@contextmanager
def running_system():
    namespace = f"bench-{uuid.uuid4().hex[:8]}"
    with ExitStack() as stack:
        databases = {name: stack.enter_context(Database(f"bench_{name[:5]}")) for name in SERVICES}
        sink = stack.enter_context(SmtpSink())
        environ = {"AMQP_URL": RABBITMQ, "BROKER_NAMESPACE": namespace, "SMTP_URL": sink.url, **UNLIMITED,
                   **{f"{name.upper()}_DATABASE_URL": db.url for name, db in databases.items()}}
        directory = Path(tempfile.mkdtemp(prefix="bench-system-"))
        try:
            with launched_system(directory, timeout=120, environ=environ) as launched:
                yield System(launched, sink)
        finally:
            with Connection(RABBITMQ) as connection:
                Topology(namespace).remove(connection)
