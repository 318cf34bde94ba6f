"""The activity guards its places: given facts, when a command, then facts (or a refusal)."""
from datetime import datetime, timedelta, timezone

import pytest

from shared.actors import Actor
from shared.contracts.registration import ActivityDetails

from registration.domain import errors
from registration.domain.activity import Activity
from registration.domain.commands import DraftActivity
from registration.domain.facts import RegistrationConfirmed, RegistrationResubmitted, RegistrationWaitlisted

NOW = datetime(2030, 11, 1, 9, tzinfo=timezone.utc)
START = datetime(2030, 11, 18, 10, tzinfo=timezone.utc)
DETAILS = ActivityDetails(organiser="Org", title="Title", summary="", starts_at=START,
                          ends_at=START + timedelta(hours=2), attendance="online", venue="", region="Online")


def draft_command(capacity=2) -> DraftActivity:
    return DraftActivity(actor=Actor.system("test"), activity_id="a1", details=DETAILS, capacity=capacity)


def drafted(capacity=2) -> Activity:
    activity = Activity("activity-a1")
    activity.draft(draft_command(capacity))
    return activity


def opened(capacity=2) -> Activity:
    activity = drafted(capacity)
    activity.open(NOW)
    activity.pending = []
    return activity


def test_places_are_confirmed_up_to_capacity_then_people_join_the_waitlist():
    activity = opened(capacity=2)
    statuses = [activity.register(f"r{i}", f"p{i}", "sealed", NOW).status for i in range(4)]
    assert statuses == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    assert [type(f) for f in activity.pending] == [RegistrationConfirmed] * 2 + [RegistrationWaitlisted] * 2
    assert activity.confirmed == 2


def test_a_person_registering_again_keeps_their_place_and_what_they_sent_is_recorded():
    activity = opened(capacity=1)
    first = activity.register("r1", "p1", "sealed-first", NOW)
    again = activity.register("r2", "p1", "sealed-corrected", NOW)
    assert again == first and activity.confirmed == 1
    resubmitted = activity.pending[-1]
    assert type(resubmitted) is RegistrationResubmitted
    assert (resubmitted.registration_id, resubmitted.personal, resubmitted.status) == ("r1", "sealed-corrected", "confirmed")


def test_registration_needs_an_open_activity_that_has_not_started():
    with pytest.raises(errors.NotOpen):
        drafted().register("r1", "p1", "sealed", NOW)
    with pytest.raises(errors.RegistrationClosed):
        opened().register("r1", "p1", "sealed", START)
    with pytest.raises(errors.ActivityNotFound):
        Activity("activity-missing").register("r1", "p1", "sealed", NOW)


def test_opening_twice_or_drafting_twice_is_refused():
    activity = opened()
    with pytest.raises(errors.AlreadyOpen):
        activity.open(NOW)
    with pytest.raises(errors.ActivityExists):
        activity.draft(draft_command())


def test_an_activity_that_has_started_cannot_be_opened():
    with pytest.raises(errors.AlreadyStarted):
        drafted().open(START)
    with pytest.raises(errors.AlreadyStarted):
        drafted().open(START + timedelta(days=1))


def test_a_registration_records_only_the_place_the_details_stay_with_the_activity():
    activity = opened()
    activity.register("r1", "p1", "sealed", NOW)
    fact = activity.pending[0]
    assert fact.to_data() == {"registration_id": "r1", "activity_id": "a1", "person_id": "p1", "personal": "sealed"}
    assert activity.drafted.details.title == "Title"
