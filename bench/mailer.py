"""mailer: mails sent by notifications' mailer process (`python -m notifications mailer`: its senders
side by side, attempts recorded before each send and results after) to the bench's SMTP sink,
against smtplib in a process of its own sending the same messages over one connection. Each rate
is counted from the first mail's arrival at the sink to the last's, so neither pays for starting."""
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone

from shared.contracts import decode, envelope
from shared.contracts.registration import ACTIVITY_OPENED, REGISTRATION_CONFIRMED
from shared.settings import load

from notifications.bootstrap import bootstrap

from bench.common import COUNT, Compared, Database
from bench.servers import ROOT
from bench.sink import SmtpSink

MAILS, DEADLINE = max(COUNT // 4, 20), 120.0
ACTIVITY_ID = str(uuid.uuid4())


def measure() -> list:
    with Database() as db, SmtpSink(keep_content=True) as sink:
        env = {"VAR_DIR": tempfile.mkdtemp(), "SMTP_URL": sink.url, "NOTIFICATIONS_DATABASE_URL": db.url}
        service = bootstrap(load("notifications", env))
        try:
            _queue_mails(service, MAILS)
        finally:
            service.runtime.engine.dispose()
        _until_all_arrived(sink, [sys.executable, "-m", "notifications", "mailer"], env)
        ours, sent = _rate(sink), sink.snapshot()
        sink.clear()
        with tempfile.NamedTemporaryFile(suffix=".pickle") as file:
            pickle.dump([(arrival.recipients, arrival.content) for arrival in sent], file)
            file.flush()
            _until_all_arrived(sink, [sys.executable, "-m", "bench.smtp_client", str(sink.port), file.name], {})
        baseline = _rate(sink)
    return [Compared("mailer", "mails/s", ours, baseline, "smtplib, one connection", goal=0.5)]


def _until_all_arrived(sink: SmtpSink, command: list[str], env: dict) -> None:
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + DEADLINE
        while sink.count() < MAILS:
            if time.monotonic() > deadline or process.poll() not in (None, 0):
                raise RuntimeError(f"only {sink.count()} of {MAILS} mails arrived ({command[2]})")
            time.sleep(0.05)  # polling the sink's count, with a deadline
    finally:
        process.terminate()
        process.wait(timeout=30)


def _rate(sink: SmtpSink) -> float:
    """Mails a second between the first arrival and the last."""
    arrivals = sorted(arrival.at for arrival in sink.snapshot())
    return (len(arrivals) - 1) / (arrivals[-1] - arrivals[0])


def _queue_mails(service, count: int) -> None:
    handlers = service.parts.registry.message_handlers()
    messages = [_opened()] + [_confirmed(i) for i in range(count)]
    for message in messages:
        with service.runtime.engine.begin() as db:
            handlers[message["type"]](db, decode(json.dumps(message)))
    service.runtime.projector(service.parts).catch_up()


def _opened() -> dict:
    payload = {"activity_id": ACTIVITY_ID, "title": "Bench activity", "summary": "", "organiser": "Bench",
               "starts_at": "2030-11-18T10:00:00+00:00", "ends_at": "2030-11-18T12:00:00+00:00",
               "attendance": "online", "venue": "", "region": "Online", "capacity": 100_000}
    return _envelope(ACTIVITY_OPENED, payload)


def _confirmed(i: int) -> dict:
    payload = {"registration_id": str(uuid.uuid4()), "activity_id": ACTIVITY_ID, "person_id": str(uuid.uuid4()),
               "name": f"Bench Person {i}", "email": f"mail-{i}@example.org"}
    return _envelope(REGISTRATION_CONFIRMED, payload)


def _envelope(kind, payload: dict) -> dict:
    return envelope(kind, payload, "registration", message_id=str(uuid.uuid4()),
                    occurred_at=datetime.now(timezone.utc), correlation_id="bench")
