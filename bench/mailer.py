"""mailer: mails sent by notifications' mailer (attempt recorded before each send, result after;
the worker's projector beside it, as in the worker process) to the bench's SMTP sink, against
smtplib sending the same messages over one connection."""
import json
import smtplib
import tempfile
import time
import uuid
from datetime import datetime, timezone

from shared.contracts import decode, envelope
from shared.contracts.registration import ACTIVITY_OPENED, REGISTRATION_CONFIRMED
from shared.settings import load

from notifications.bootstrap import bootstrap

from bench.common import COUNT, Compared, Database, timed
from bench.sink import SmtpSink

MAILS, DEADLINE = max(COUNT // 4, 20), 120.0
ACTIVITY_ID = str(uuid.uuid4())


def measure() -> list:
    with Database() as db, SmtpSink(keep_content=True) as sink:
        service = bootstrap(load("notifications", {"VAR_DIR": tempfile.mkdtemp(), "SMTP_URL": sink.url,
                                                   "NOTIFICATIONS_DATABASE_URL": db.url}))
        try:
            _queue_mails(service, MAILS)
            ours = timed(lambda: _send_all(service, sink, MAILS))
        finally:
            service.runtime.engine.dispose()
        sent = sink.snapshot()
        sink.clear()
        baseline = timed(lambda: _send_over_one_connection(sink, sent))
    return [Compared("mailer", "mails/s", MAILS / ours, MAILS / baseline, "smtplib, one connection", goal=0.5)]


def _queue_mails(service, count: int) -> None:
    handlers = service.parts.registry.message_handlers()
    messages = [_opened()] + [_confirmed(i) for i in range(count)]
    for message in messages:
        with service.runtime.engine.begin() as db:
            handlers[message["type"]](db, decode(json.dumps(message)))
    service.runtime.projector(service.parts).catch_up()


def _send_all(service, sink: SmtpSink, count: int) -> None:
    projector = service.runtime.projector(service.parts)
    mailer_step = next(loop.step for loop in service.parts.extra_loops if loop.kind == "mailer")
    deadline = time.monotonic() + DEADLINE
    while sink.count() < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {sink.count()} of {count} mails sent within {DEADLINE:.0f}s")
        mailer_step()
        projector.step()
    projector.close()


def _send_over_one_connection(sink: SmtpSink, arrivals) -> None:
    with smtplib.SMTP("127.0.0.1", sink.port) as client:
        for arrival in arrivals:
            client.sendmail("week@coproduction.invalid", list(arrival.recipients), arrival.content)


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
