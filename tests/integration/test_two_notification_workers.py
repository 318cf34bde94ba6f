"""Two notifications workers and two schedulers at once, on real RabbitMQ, PostgreSQL and an aiosmtpd
server: every message delivered twice to a queue both consume, both mailers sending, both schedulers
firing reminders on one injected clock. Counted at the SMTP server by Message-ID and by what each
person got: each confirmation, announcement and reminder arrives exactly once, none is lost."""
import json
import threading
import uuid
from collections import Counter

import pytest
from kombu import Connection, Producer
from sqlalchemy import func, select

from shared.contracts.registration import REGISTRATION_CONFIRMED
from shared.scheduling import Scheduler
from shared.settings import load

from notifications.bootstrap import bootstrap
from notifications.delivery import SmtpDelivery
from notifications.mailer import Mailer
from tests.support.clock import Clock
from tests.support.messages import (NOW, activity_opened_message, make_consent_message, make_place_message,
                                    make_section_published_message)
from tests.support.waiting import wait_until

pytestmark = pytest.mark.real_server
PEOPLE = 20
DUE = {"24h": (17, 10), "1h": (18, 9)}  # the activity starts 18 Nov 10:00; (day, hour) each falls due


class Worker:
    """One notifications worker of the pair: its own engine, consumer, mailer and scheduler."""

    def __init__(self, settings, clock, smtp_url: str):
        self.service = bootstrap(settings, delivery=SmtpDelivery(smtp_url), clock=clock, reminder_offsets=["24h", "1h"])
        runtime = self.service.runtime
        self.consumer = runtime.consumer(self.service.parts)
        self.mailer = Mailer(runtime, SmtpDelivery(smtp_url)).scheduler()
        self.scheduler = Scheduler(runtime.engine, runtime.due_work, self.service.parts.jobs, clock)
        self.handled = 0

    def close(self):
        self.consumer.close()
        self.service.runtime.engine.dispose()


def both(workers, work) -> None:
    """Run work(worker) on each worker at once, and wait for both."""
    threads = [threading.Thread(target=work, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
        assert not thread.is_alive()


def until_nothing_due(scheduler) -> None:
    while scheduler.run_one():
        pass


def publish_twice(service, messages: list[dict]) -> None:
    runtime = service.runtime
    with Connection(runtime.settings.amqp_url) as connection:
        producer = Producer(connection.channel(), exchange=runtime.topology.facts)
        for message in messages + messages:
            producer.publish(json.dumps(message), routing_key=message["type"], message_id=message["id"],
                             content_type="application/json", content_encoding="utf-8", delivery_mode=2)


def handle_all(workers, messages: list[dict]) -> None:
    """Both consumers take from the queue until every message is in the inbox and every copy handled."""
    service, stop = workers[0].service, threading.Event()
    wanted, copies = {m["id"] for m in messages}, sum(w.handled for w in workers) + 2 * len(messages)

    def consume(worker):
        while not stop.is_set():
            worker.handled += worker.consumer.step()

    def done() -> bool:
        with service.runtime.engine.connect() as db:
            inbox = service.runtime.inbox.table
            seen = db.execute(select(func.count()).where(inbox.c.message_id.in_(wanted))).scalar()
        return seen == len(wanted) and sum(w.handled for w in workers) >= copies
    threads = [threading.Thread(target=consume, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    try:
        wait_until(done, timeout=120, what="every message handled by one of the two workers")
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)


def send_everything_due(workers) -> None:
    both(workers, lambda worker: until_nothing_due(worker.scheduler))
    both(workers, lambda worker: until_nothing_due(worker.mailer))


def test_two_workers_and_two_schedulers_send_each_mail_and_each_reminder_once(postgres_url, rabbitmq_url,
                                                                              broker_namespace, smtp_server):
    settings = load("notifications", {"NOTIFICATIONS_DATABASE_URL": postgres_url, "AMQP_URL": rabbitmq_url,
                                       "BROKER_NAMESPACE": broker_namespace, "SMTP_URL": smtp_server.url})
    clock = Clock(NOW)
    workers = [Worker(settings, clock, smtp_server.url) for _ in range(2)]
    workers[0].consumer.declare()
    people = [(str(uuid.uuid4()), f"person{n}@example.org") for n in range(PEOPLE)]
    try:
        for phase in ([activity_opened_message()],
                      [make_place_message(REGISTRATION_CONFIRMED, str(uuid.uuid4()), person, email=email)
                       for person, email in people] + [make_consent_message(p, email=e) for p, e in people],
                      [make_section_published_message()]):
            publish_twice(workers[0].service, phase)
            handle_all(workers, phase)
        send_everything_due(workers)
        for day, hour in DUE.values():
            clock.now = NOW.replace(day=day, hour=hour)
            send_everything_due(workers)
        _count_and_check(smtp_server, [email for _, email in people])
    finally:
        for worker in workers:
            worker.close()


def _count_and_check(server, emails: list[str]) -> None:
    ids = Counter(str(message["Message-ID"]) for _, message in server.messages)
    got = Counter((recipients[0], _kind(str(message["Subject"]))) for recipients, message in server.messages)
    expected = {(email, kind) for email in emails for kind in ("confirmed", "announcement", "in 24 hours", "in 1 hour")}
    twice = sum(count - 1 for count in ids.values())  # the same Message-ID again
    repeated = sum(count - 1 for count in got.values())  # the same mail to the same person under another id
    lost = len(expected - set(got))
    print(f"\npeople {len(emails)}, two workers and two schedulers: delivered {len(server.messages)}, "
          f"expected {len(expected)}, same Message-ID twice {twice}, same mail to a person twice {repeated}, "
          f"lost {lost}")
    assert twice == 0 and repeated == 0 and lost == 0 and set(got) == expected


def _kind(subject: str) -> str:
    for kind in ("in 24 hours", "in 1 hour", "Co-production Guide"):
        if kind in subject:
            return "announcement" if kind == "Co-production Guide" else kind
    return "confirmed"
