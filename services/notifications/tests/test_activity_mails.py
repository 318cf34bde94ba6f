"""Mails that follow a place and its activity: promoted, cancelled, changed, rescheduled, activity
cancelled; each to exactly those who hold a place, once, with a calendar entry where they have one."""
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

from shared.aggregate import Repository
from shared.contracts.registration import REGISTRATION_CONFIRMED, REGISTRATION_PROMOTED, REGISTRATION_WAITLISTED

from notifications.calendar_entry import booking_uid
from notifications.domain.activity import KnownActivity, activity_stream
from tests.support.consuming import handle_directly
from tests.support.mail_parts import calendar_of, event_of, html_of, text_of, to
from tests.support.messages import (ACTIVITY_ID, activity_opened_message, make_activity_cancelled_message,
                                    make_cancelled_message, make_changed_message, make_place_message,
                                    make_rescheduled_message)

LONDON = ZoneInfo("Europe/London")


class Person:
    def __init__(self, name: str):
        self.name, self.email = name, f"{name.lower()}@example.org"
        self.registration_id, self.person_id = str(uuid.uuid4()), str(uuid.uuid4())

    def message(self, message_type, **extra) -> dict:
        return make_place_message(message_type, self.registration_id, self.person_id, name=self.name,
                                  email=self.email, **extra)

    def cancelled(self, **extra) -> dict:
        return make_cancelled_message(self.registration_id, self.person_id, name=self.name, email=self.email,
                                      **extra)

    @property
    def to(self) -> str:
        return f"{self.name} <{self.email}>"


def sent(service, delivery) -> list:
    """Send what is due and return (and forget) what went out."""
    service.mailer.send_due()
    out, delivery.sent[:] = list(delivery.sent), []
    return out


def test_a_confirmed_place_carries_a_calendar_invitation_and_a_waitlisted_one_none(service, deliver, delivery):
    ada, bob = Person("Ada"), Person("Bob")
    deliver(ada.message(REGISTRATION_CONFIRMED), bob.message(REGISTRATION_WAITLISTED))
    confirmed, waitlisted = sorted(sent(service, delivery), key=to)
    calendar, event = event_of(confirmed)
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == booking_uid(ada.registration_id) and event["SEQUENCE"] == 0
    assert event.decoded("DTSTART") == datetime(2030, 11, 18, 10, tzinfo=LONDON)
    assert event["DTSTART"].params["TZID"] == "Europe/London" and calendar.walk("VTIMEZONE")
    assert event.decoded("DTEND") == datetime(2030, 11, 18, 12, tzinfo=LONDON)
    assert calendar_of(waitlisted) is None
    assert "Test activity" in html_of(confirmed) and "Hall 1, Perth" in html_of(confirmed)


def test_a_promotion_is_mailed_with_an_invitation(service, deliver, delivery):
    bob = Person("Bob")
    deliver(bob.message(REGISTRATION_WAITLISTED))
    sent(service, delivery)
    deliver(bob.message(REGISTRATION_PROMOTED))
    promoted, = sent(service, delivery)
    assert promoted["Subject"] == "A place came up: Test activity"
    assert "it is yours" in text_of(promoted) and "it is yours" in html_of(promoted)
    calendar, event = event_of(promoted)
    assert (calendar["METHOD"], str(event["UID"])) == ("REQUEST", booking_uid(bob.registration_id))
    assert event["SEQUENCE"] == 0


def test_the_essentials_come_first_in_both_parts(service, deliver, delivery):
    ada = Person("Ada")
    deliver(ada.message(REGISTRATION_CONFIRMED))
    deliver(make_changed_message({"venue": "Hall 2, Perth"}))
    mails = sent(service, delivery)
    assert len(mails) == 2
    for body in [text_of(mail) for mail in mails] + [html_of(mail) for mail in mails]:
        order = [body.index(word) for word in ("What", "When", "Where", "Access", "Cancel", "Co-production Week")]
        assert order == sorted(order), body


def test_a_cancelled_place_is_mailed_with_who_cancelled_it_and_the_reason(service, deliver, delivery):
    ada, bob = Person("Ada"), Person("Bob")
    deliver(ada.message(REGISTRATION_CONFIRMED), bob.message(REGISTRATION_WAITLISTED))
    sent(service, delivery)
    deliver(ada.cancelled(by="person"), bob.cancelled(was="waitlisted", by="organiser", reason="Duplicate booking"))
    by_person, by_organiser = sorted(sent(service, delivery), key=to)
    assert by_person["Subject"] == "Your place is cancelled: Test activity"
    assert "As you asked" in text_of(by_person)
    calendar, event = event_of(by_person)
    assert calendar["METHOD"] == "CANCEL" and str(event["UID"]) == booking_uid(ada.registration_id)
    assert event["SEQUENCE"] == 1
    assert by_organiser["Subject"] == "Your place on the waitlist is cancelled: Test activity"
    for body in (text_of(by_organiser), html_of(by_organiser)):
        assert "The organiser has cancelled" in body and "Reason: Duplicate booking" in body
    assert calendar_of(by_organiser) is None


def test_a_change_is_mailed_to_everyone_holding_a_place_and_no_one_else(service, deliver, delivery):
    ada, bob, cy = Person("Ada"), Person("Bob"), Person("Cy")
    deliver(ada.message(REGISTRATION_CONFIRMED), bob.message(REGISTRATION_WAITLISTED),
            cy.message(REGISTRATION_CONFIRMED))
    deliver(cy.cancelled())
    sent(service, delivery)
    deliver(make_changed_message({"venue": "Hall 2, Perth", "title": "Better activity"}))
    to_ada, to_bob = sorted(sent(service, delivery), key=to)
    assert [to_ada["To"], to_bob["To"]] == [ada.to, bob.to]
    assert to_ada["Subject"] == "Changed: Better activity"
    assert "its title, venue" in text_of(to_ada) and "Hall 2, Perth" in text_of(to_ada)
    calendar, event = event_of(to_ada)
    assert (calendar["METHOD"], str(event["UID"])) == ("REQUEST", booking_uid(ada.registration_id))
    assert event["SEQUENCE"] == 1
    assert str(event["LOCATION"]) == "Hall 2, Perth" and str(event["SUMMARY"]) == "Better activity"
    assert calendar_of(to_bob) is None


def test_a_reschedule_says_both_times_and_updates_the_entry_each_time(service, deliver, delivery):
    ada = Person("Ada")
    deliver(ada.message(REGISTRATION_CONFIRMED))
    sent(service, delivery)
    deliver(make_rescheduled_message("2030-11-19T14:00:00+00:00", "2030-11-19T15:30:00+00:00"))
    moved, = sent(service, delivery)
    assert moved["Subject"] == "New time: Test activity"
    body = text_of(moved)
    assert "moved to Tuesday 19 November 2030, 14:00 to 15:30" in body
    assert "It was Monday 18 November 2030, 10:00 to 12:00" in body
    _, event = event_of(moved)
    assert event["SEQUENCE"] == 1 and event.decoded("DTSTART") == datetime(2030, 11, 19, 14, tzinfo=LONDON)
    deliver(make_rescheduled_message("2030-11-20T14:00:00+00:00", "2030-11-20T15:00:00+00:00"))
    again, = sent(service, delivery)
    _, event = event_of(again)
    assert str(event["UID"]) == booking_uid(ada.registration_id) and event["SEQUENCE"] == 2


def test_a_redelivered_change_sends_nothing_twice(service, deliver, delivery):
    """Straight to the handlers, past the inbox that would drop the copy: the handler itself must."""
    ada = Person("Ada")
    deliver(ada.message(REGISTRATION_CONFIRMED))
    sent(service, delivery)
    change = make_changed_message({"venue": "Hall 2, Perth"})
    handle_directly(service, change)
    handle_directly(service, change)
    assert len(sent(service, delivery)) == 1


def test_an_activity_cancelled_is_mailed_once_to_each_holder_whichever_message_comes_first(service, deliver,
                                                                                        delivery):
    ada, bob = Person("Ada"), Person("Bob")
    deliver(ada.message(REGISTRATION_CONFIRMED), bob.message(REGISTRATION_WAITLISTED))
    sent(service, delivery)
    # registration's order: each place cancelled with the activity, then the activity
    deliver(ada.cancelled(by="activity_cancelled", reason="Venue flooded"))
    deliver(make_activity_cancelled_message(reason="Venue flooded"))
    deliver(bob.cancelled(was="waitlisted", by="activity_cancelled", reason="Venue flooded"))
    to_ada, to_bob = sorted(sent(service, delivery), key=to)
    assert [to_ada["To"], to_bob["To"]] == [ada.to, bob.to]
    for mail in (to_ada, to_bob):
        assert mail["Subject"] == "Cancelled: Test activity"
        assert "Reason: Venue flooded" in text_of(mail) and "Reason: Venue flooded" in html_of(mail)
    calendar, event = event_of(to_ada)
    assert (calendar["METHOD"], str(event["UID"])) == ("CANCEL", booking_uid(ada.registration_id))
    assert event["SEQUENCE"] == 1
    assert calendar_of(to_bob) is None


def test_an_activity_with_many_places_loads_the_same_from_its_snapshot(service):
    people = [Person(f"P{number}") for number in range(KnownActivity.snapshot_every + 5)]
    handle_directly(service, activity_opened_message(),
                    make_rescheduled_message("2030-11-19T14:00:00+00:00", "2030-11-19T15:30:00+00:00"),
                    *(person.message(REGISTRATION_CONFIRMED) for person in people[:-1]),
                    people[-1].message(REGISTRATION_WAITLISTED))
    runtime, stream = service.runtime, activity_stream(ACTIVITY_ID)
    with runtime.engine.connect() as db:
        assert runtime.snapshots.load(db, stream, KnownActivity.snapshot_key()), "a snapshot was taken"
        from_snapshot = runtime.repository(KnownActivity).get(db, stream)
        replayed = Repository(runtime.engine, runtime.store, KnownActivity).get(db, stream)
    assert from_snapshot.version == replayed.version and from_snapshot.places == replayed.places
    assert (from_snapshot.details, from_snapshot.sequence, from_snapshot.cancelled) == \
        (replayed.details, replayed.sequence, replayed.cancelled)
    assert len(from_snapshot.places) == len(people)
