"""Reminders before an activity, on the injected clock: exactly the right sends and no others."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from shared.contracts.registration import REGISTRATION_CONFIRMED, REGISTRATION_PROMOTED, REGISTRATION_WAITLISTED
from shared.scheduling import Scheduler
from shared.settings import SettingsError, load

from notifications.bootstrap import bootstrap
from notifications.mailer import Mailer
from notifications.reminders import SEND_REMINDERS, offsets_from
from tests.support.consuming import deliver as deliver_messages
from tests.support.messages import (activity_opened_message, make_activity_cancelled_message, make_cancelled_message,
                                    make_changed_message,
                                    make_place_message, make_rescheduled_message)

STARTS = datetime(2030, 11, 18, 10, tzinfo=timezone.utc)  # activity_opened_message()'s start
DAY, HOUR = timedelta(hours=24), timedelta(hours=1)


class Booking:
    def __init__(self, name: str):
        self.name, self.registration_id, self.person_id = name, str(uuid.uuid4()), str(uuid.uuid4())

    def message(self, message_type, **extra) -> dict:
        return make_place_message(message_type, self.registration_id, self.person_id, name=self.name,
                                  email=f"{self.name.lower()}@example.org", **extra)


@pytest.fixture
def week(service, clock, delivery):
    """The service with its activity heard of, and a way to move the clock and see what is sent."""
    deliver_messages(service, activity_opened_message())

    class Week:
        def send(self, *messages) -> list[tuple[str, str]]:
            deliver_messages(service, *messages)
            return self.at(clock.now)

        def at(self, moment) -> list[tuple[str, str]]:
            """Move the clock to `moment`, run every due job and send every due mail: the
            reminders sent, as (name, subject)."""
            clock.now = moment
            scheduler = Scheduler(service.runtime.engine, service.runtime.due_work, service.parts.jobs, clock)
            while scheduler.run_one():
                pass
            service.mailer.send_due()
            out = [(str(mail["To"]).partition(" <")[0], str(mail["Subject"])) for mail in delivery.sent
                   if str(mail["Subject"]).startswith("Reminder")]
            delivery.sent[:] = []
            return sorted(out)
    return Week()


def reminder(name: str, ahead: str) -> tuple[str, str]:
    return name, f"Reminder, {ahead}: Test activity"


def test_a_day_and_an_hour_before_each_confirmed_place_gets_one_reminder(week):
    ada, bob = Booking("Ada"), Booking("Bob")
    week.send(ada.message(REGISTRATION_CONFIRMED), bob.message(REGISTRATION_WAITLISTED))
    assert week.at(STARTS - DAY - timedelta(seconds=1)) == []
    assert week.at(STARTS - DAY) == [reminder("Ada", "in 24 hours")]
    assert week.at(STARTS - DAY + timedelta(minutes=5)) == [], "exactly once"
    assert week.at(STARTS - HOUR - timedelta(seconds=1)) == []
    assert week.at(STARTS - HOUR) == [reminder("Ada", "in 1 hour")]
    assert week.at(STARTS + DAY) == []


def test_a_reschedule_moves_the_reminders(week):
    ada = Booking("Ada")
    week.send(ada.message(REGISTRATION_CONFIRMED))
    later = STARTS + 3 * DAY
    week.send(make_rescheduled_message(later.isoformat(), (later + 2 * HOUR).isoformat()))
    assert week.at(STARTS - HOUR) == [], "not at the old time"
    assert week.at(later - DAY) == [reminder("Ada", "in 24 hours")]
    assert week.at(later - HOUR) == [reminder("Ada", "in 1 hour")]


def test_a_reschedule_after_a_reminder_went_out_reminds_again_for_the_new_time(week):
    ada = Booking("Ada")
    week.send(ada.message(REGISTRATION_CONFIRMED))
    assert week.at(STARTS - DAY) == [reminder("Ada", "in 24 hours")]
    later = STARTS + 2 * DAY
    week.send(make_rescheduled_message(later.isoformat(), (later + 2 * HOUR).isoformat()))
    assert week.at(later - DAY) == [reminder("Ada", "in 24 hours")]


def test_a_cancelled_place_gets_no_reminder(week):
    ada, bob = Booking("Ada"), Booking("Bob")
    week.send(ada.message(REGISTRATION_CONFIRMED), bob.message(REGISTRATION_CONFIRMED))
    week.send(make_cancelled_message(bob.registration_id, bob.person_id, name="Bob", email="bob@example.org"))
    assert week.at(STARTS - DAY) == [reminder("Ada", "in 24 hours")]
    assert week.at(STARTS - HOUR) == [reminder("Ada", "in 1 hour")]


def test_a_cancelled_activity_drops_its_reminders(week, service):
    ada = Booking("Ada")
    week.send(ada.message(REGISTRATION_CONFIRMED))
    week.send(make_activity_cancelled_message(reason="Flooded"))
    with service.runtime.engine.connect() as db:
        assert [item for item in service.runtime.due_work.items(db) if item.job == SEND_REMINDERS] == []
    assert week.at(STARTS - DAY) == [] and week.at(STARTS - HOUR) == []


def test_a_booking_made_late_skips_the_reminders_already_past_due(week):
    week.at(STARTS - DAY)  # the day-before reminder goes out, to no one yet
    ada = Booking("Ada")
    week.at(STARTS - 3 * HOUR)
    week.send(ada.message(REGISTRATION_CONFIRMED))
    assert week.at(STARTS - HOUR) == [reminder("Ada", "in 1 hour")]
    assert week.at(STARTS + HOUR) == []


def test_a_person_promoted_late_gets_the_reminders_still_ahead(week):
    ada, bob = Booking("Ada"), Booking("Bob")
    week.send(ada.message(REGISTRATION_CONFIRMED), bob.message(REGISTRATION_WAITLISTED))
    assert week.at(STARTS - DAY) == [reminder("Ada", "in 24 hours")]
    week.at(STARTS - 5 * HOUR)
    week.send(bob.message(REGISTRATION_PROMOTED))
    assert week.at(STARTS - HOUR) == [reminder("Ada", "in 1 hour"), reminder("Bob", "in 1 hour")]


def test_an_activity_heard_of_late_schedules_only_the_reminders_still_ahead(tmp_path, delivery, clock):
    clock.now = STARTS - 5 * HOUR
    settings = load("notifications", {"VAR_DIR": str(tmp_path), "BROKER_NAMESPACE": f"t{uuid.uuid4().hex[:8]}"})
    service = bootstrap(settings, delivery=delivery, clock=clock)
    try:
        deliver_messages(service, activity_opened_message())
        with service.runtime.engine.connect() as db:
            due = [item for item in service.runtime.due_work.items(db) if item.job == SEND_REMINDERS]
        assert [(item.key.rpartition("/")[2], item.due_at) for item in due] == [("1h", STARTS - HOUR)]
    finally:
        service.runtime.engine.dispose()


def test_the_offsets_are_configurable(tmp_path, delivery, clock):
    settings = load("notifications", {"VAR_DIR": str(tmp_path), "BROKER_NAMESPACE": f"t{uuid.uuid4().hex[:8]}"})
    service = bootstrap(settings, delivery=delivery, clock=clock, reminder_offsets=offsets_from("2d,30m"))
    mailer = Mailer(service.runtime, delivery)
    try:
        ada = Booking("Ada")
        deliver_messages(service, activity_opened_message(), ada.message(REGISTRATION_CONFIRMED))
        subjects = []
        for moment in (STARTS - 2 * DAY, STARTS - DAY, STARTS - HOUR, STARTS - timedelta(minutes=30)):
            clock.now = moment
            scheduler = Scheduler(service.runtime.engine, service.runtime.due_work, service.parts.jobs, clock)
            while scheduler.run_one():
                pass
            mailer.send_due()
            subjects.append(sorted(str(m["Subject"]) for m in delivery.sent if str(m["Subject"]).startswith("Rem")))
            delivery.sent[:] = []
        assert subjects == [["Reminder, in 2 days: Test activity"], [], [], ["Reminder, in 30 minutes: Test activity"]]
    finally:
        service.runtime.engine.dispose()


@pytest.mark.parametrize("value", ["", "24", "1w", "0h", "24h,,x", "-1h"])
def test_a_wrong_reminder_offsets_value_is_refused_naming_the_variable(value):
    with pytest.raises(SettingsError, match="REMINDER_OFFSETS"):
        offsets_from(value)


def test_the_scheduler_process_runs_the_reminder_job(service):
    loops = service.runtime.loops(service.parts, {"scheduler"})
    assert [loop.kind for loop in loops] == ["scheduler"]
    assert SEND_REMINDERS in [job.name for job in service.parts.jobs]


def test_a_change_after_a_reminder_went_out_sends_no_late_copy_of_it(week):
    """A change re-applies the rules: a reminder already past must not fall due again, not even for
    someone who booked since."""
    ada, bob = Booking("Ada"), Booking("Bob")
    week.send(ada.message(REGISTRATION_CONFIRMED))
    assert week.at(STARTS - DAY) == [reminder("Ada", "in 24 hours")]
    week.at(STARTS - 5 * HOUR)
    assert week.send(bob.message(REGISTRATION_CONFIRMED)) == []
    assert week.send(make_changed_message({"venue": "Hall 2, Perth"})) == []
    assert week.at(STARTS - 2 * HOUR) == []
    assert week.at(STARTS - HOUR) == [reminder("Ada", "in 1 hour"), reminder("Bob", "in 1 hour")]
