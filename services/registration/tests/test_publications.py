"""Every fact other services hear of becomes a message that meets its contract, and carries the
person id (and only the name and email) of the person it is about."""
import json
from dataclasses import replace
from datetime import timedelta

from shared.actors import Actor
from shared.contracts import decode
from shared.contracts.registration import ActivityDetails

from registration.domain.activity import stream_id
from registration.domain.commands import (CancelActivity, CancelRegistration, ChangeActivityDetails, ChangeCapacity,
                                          CheckIn, CloseRegistration, DraftActivity, OpenActivity, Register,
                                          RescheduleActivity)
from tests.support.messages import NOW

ORGANISER, PERSON = Actor.token("organiser", "organiser", "org-1"), Actor.person()
STARTS = NOW + timedelta(days=10)
DETAILS = ActivityDetails(organiser="Org", title="Everything happens", summary="", starts_at=STARTS,
                          ends_at=STARTS + timedelta(hours=2), attendance="in_person", venue="Hall 1", region="Fife")
ACTIVITY = "5b0b1d7e-1f7a-4c1e-8d3c-2a9e6b7f0c11"


def messages_of_a_whole_week(service) -> list:
    handle = service.handle
    handle(DraftActivity(actor=ORGANISER, activity_id=ACTIVITY, details=DETAILS, capacity=1, organisation_id="org-1"))
    handle(OpenActivity(actor=ORGANISER, activity_id=ACTIVITY))
    first = handle(Register(actor=PERSON, activity_id=ACTIVITY, name="Ada", email="ada@example.org",
                            access_needs="Hearing loop"))
    handle(Register(actor=PERSON, activity_id=ACTIVITY, name="Bo", email="bo@example.org"))
    handle(Register(actor=PERSON, activity_id=ACTIVITY, name="Ada", email="ada@example.org"))
    handle(CheckIn(actor=ORGANISER, activity_id=ACTIVITY, registration_id=first.registration_id))
    handle(CancelRegistration(actor=PERSON, activity_id=ACTIVITY, registration_id=first.registration_id, by="person"))
    handle(ChangeCapacity(actor=ORGANISER, activity_id=ACTIVITY, capacity=3))
    handle(RescheduleActivity(actor=ORGANISER, activity_id=ACTIVITY, starts_at=STARTS + timedelta(hours=1),
                              ends_at=STARTS + timedelta(hours=3)))
    handle(ChangeActivityDetails(actor=ORGANISER, activity_id=ACTIVITY, details=replace(DETAILS, venue="Hall 2")))
    handle(CloseRegistration(actor=ORGANISER, activity_id=ACTIVITY))
    handle(OpenActivity(actor=ORGANISER, activity_id=ACTIVITY))
    handle(CancelActivity(actor=ORGANISER, activity_id=ACTIVITY, reason="Storm warning"))
    runtime = service.runtime
    with runtime.engine.connect() as db:
        return [decode(json.dumps(message)) for fact in runtime.store.read_stream(db, stream_id(ACTIVITY))
                for message in service.parts.translate(db, fact)]


def test_each_fact_of_an_activitys_week_becomes_a_message_that_meets_its_contract(service):
    messages = messages_of_a_whole_week(service)
    assert [m.type.removeprefix("registration.") for m in messages] == [
        "activity.opened", "registration.confirmed", "registration.waitlisted", "registration.resubmitted",
        "registration.checked_in", "registration.cancelled", "registration.promoted", "activity.rescheduled",
        "activity.changed", "activity.registration_closed", "activity.registration_reopened",
        "registration.cancelled", "activity.cancelled"]
    assert len({m.id for m in messages}) == len(messages)


def test_messages_about_a_person_carry_their_id_name_and_email_and_never_their_access_needs(service):
    for message in messages_of_a_whole_week(service):
        if message.type.startswith("registration.registration.") and not message.type.endswith("checked_in"):
            assert {"person_id", "name", "email"} <= set(message.payload)
        assert "Hearing loop" not in str(message.payload)


def test_what_changed_and_why_travel_with_the_change(service):
    by_type = {m.type: m.payload for m in messages_of_a_whole_week(service)}
    assert by_type["registration.activity.changed"]["changed"] == ["venue"]
    assert by_type["registration.activity.changed"]["venue"] == "Hall 2"
    assert by_type["registration.activity.cancelled"]["reason"] == "Storm warning"
    assert by_type["registration.registration.cancelled"]["by"] == "activity_cancelled"
