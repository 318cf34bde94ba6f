"""Notifications on PostgreSQL with a real SMTP server (aiosmtpd): the calendar entry that arrives
parses with icalendar and a reschedule updates it under the same UID; the `scheduler` process kind
runs the reminder job, and its mail arrives once."""
import threading
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from shared.contracts.registration import REGISTRATION_CONFIRMED
from shared.loops import run_loops
from shared.settings import load

from notifications.bootstrap import bootstrap
from notifications.calendar_entry import booking_uid
from tests.support.consuming import handle_directly
from tests.support.mail_parts import event_of
from tests.support.messages import activity_opened_message, make_place_message, make_rescheduled_message
from tests.support.waiting import wait_until
from tests.support.clock import Clock

STARTS = datetime(2030, 11, 18, 10, tzinfo=timezone.utc)  # activity_opened_message()'s start


@pytest.fixture
def running(postgres_url, smtp_server, tmp_path):
    """Notifications on PostgreSQL and SMTP, its clock the test's; loops started by start()."""
    clock = Clock(STARTS - timedelta(days=10))
    settings = load("notifications", {"VAR_DIR": str(tmp_path), "NOTIFICATIONS_DATABASE_URL": postgres_url,
                                      "SMTP_URL": smtp_server.url})
    service = bootstrap(settings, clock=clock)
    stop, threads = threading.Event(), []

    def start(kinds: set[str]) -> None:
        thread = threading.Thread(target=run_loops, args=(service.runtime.loops(service.parts, kinds), stop))
        thread.start()
        threads.append(thread)
    yield service, clock, start
    stop.set()
    for thread in threads:
        thread.join(timeout=30)
    service.runtime.engine.dispose()


def test_the_invitation_and_its_update_arrive_over_smtp_and_a_reminder_once(running, smtp_server):
    service, clock, start = running
    registration_id, person_id = str(uuid.uuid4()), str(uuid.uuid4())
    address = f"p-{uuid.uuid4().hex[:6]}@example.org"
    handle_directly(service, activity_opened_message(),
                    make_place_message(REGISTRATION_CONFIRMED, registration_id, person_id, email=address))
    handle_directly(service, make_rescheduled_message("2030-11-18T14:00:00+00:00", "2030-11-18T16:00:00+00:00"))
    clock.now = datetime(2030, 11, 17, 14, tzinfo=timezone.utc)  # the day-before reminder is due
    start({"mailer", "scheduler"})
    mails = wait_until(lambda: len(smtp_server.to(address)) >= 3 and smtp_server.to(address), timeout=30,
                       what="confirmation, new time and reminder")
    by_subject = {str(mail["Subject"]).partition(":")[0]: mail for mail in mails}
    assert sorted(by_subject) == ["New time", "Reminder, in 24 hours", "Your place is confirmed"]
    first, updated = (event_of(by_subject[key]) for key in ("Your place is confirmed", "New time"))
    assert str(first[1]["UID"]) == str(updated[1]["UID"]) == booking_uid(registration_id)
    assert (first[1]["SEQUENCE"], updated[1]["SEQUENCE"]) == (0, 1)
    assert updated[1].decoded("DTSTART").astimezone(timezone.utc) == datetime(2030, 11, 18, 14, tzinfo=timezone.utc)
    with service.runtime.engine.connect() as db:
        reminders = [item.key.rpartition("/")[2] for item in service.runtime.due_work.items(db)
                     if item.job == "send-reminders"]
    assert reminders == ["1h"], "only the one an hour before is left"
    assert len(smtp_server.to(address)) == 3
