"""The activity guards its places: given facts, when a command, then facts (or a refusal)."""
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from shared.actors import Actor
from shared.contracts.registration import ActivityDetails

from registration.domain import errors
from registration.domain.activity import Activity
from registration.domain.commands import DraftActivity
from registration.domain.facts import (ActivityCancelled, ActivityDetailsChanged, ActivityRescheduled, CapacityChanged,
                                       RegistrationCancelled, RegistrationCheckedIn, RegistrationConfirmed,
                                       RegistrationPromoted, RegistrationResubmitted, RegistrationWaitlisted)

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
    assert activity.places.confirmed == 2


def test_a_person_registering_again_keeps_their_place_and_what_they_sent_is_recorded():
    activity = opened(capacity=1)
    first = activity.register("r1", "p1", "sealed-first", NOW)
    again = activity.register("r2", "p1", "sealed-corrected", NOW)
    assert again == first and activity.places.confirmed == 1
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
    assert fact.to_data() == {"registration_id": "r1", "activity_id": "a1", "person_id": "p1", "personal": "sealed",
                              "places": 1}
    assert activity.details.title == "Title"


def with_people(count: int, capacity=2) -> Activity:
    """An open activity with people p0, p1, ... registered in that order (registrations r0, r1, ...)."""
    activity = opened(capacity)
    for i in range(count):
        activity.register(f"r{i}", f"p{i}", "sealed", NOW)
    activity.pending = []
    return activity


def promoted(activity: Activity) -> list[str]:
    return [fact.registration_id for fact in activity.pending if isinstance(fact, RegistrationPromoted)]


def test_a_cancelled_confirmed_place_goes_to_the_first_person_waiting_at_once():
    activity = with_people(4)
    activity.cancel_registration("r0", by="person")
    assert [type(f) for f in activity.pending] == [RegistrationCancelled, RegistrationPromoted]
    assert promoted(activity) == ["r2"] and activity.places.confirmed == 2
    assert [p.registration_id for p in activity.places.waiting()] == ["r3"]


def test_a_cancelled_waiting_place_promotes_nobody():
    activity = with_people(4)
    activity.cancel_registration("r3", by="organiser", reason="asked by phone")
    assert promoted(activity) == [] and activity.pending[0].was == "waitlisted"


def test_raising_the_capacity_promotes_as_many_as_fit_in_the_order_they_joined():
    activity = with_people(6)
    activity.change_capacity(5)
    assert type(activity.pending[0]) is CapacityChanged and promoted(activity) == ["r2", "r3", "r4"]


def test_lowering_the_capacity_below_the_confirmed_places_is_refused_naming_both_numbers():
    activity = with_people(3)
    with pytest.raises(errors.CapacityBelowConfirmed, match="cannot be 1: 2 places are already confirmed"):
        activity.change_capacity(1)
    assert activity.pending == []


def test_a_carer_takes_a_second_place_and_nobody_jumps_the_queue_past_them():
    activity = opened(capacity=3)
    activity.register("r0", "p0", "sealed", NOW)
    activity.register("r1", "p1", "sealed", NOW, places=2)
    activity.register("r2", "p2", "sealed", NOW, places=2)  # one place left: waits
    activity.register("r3", "p3", "sealed", NOW)  # would fit, but p2 joined first
    assert [activity.places.get(f"r{i}").status for i in range(4)] == ["confirmed", "confirmed", "waitlisted", "waitlisted"]
    activity.pending = []
    activity.cancel_registration("r0", by="person")  # one place free: p2 needs two, p3 must not jump
    assert promoted(activity) == [] and activity.places.confirmed == 2
    activity.cancel_registration("r1", by="person")
    assert promoted(activity) == ["r2", "r3"] and activity.places.confirmed == 3


def test_several_places_freed_at_once_cascade_down_the_waitlist():
    activity = with_people(5, capacity=2)
    activity.change_capacity(4)
    activity.cancel_registration("r0", by="person")
    assert promoted(activity) == ["r2", "r3", "r4"] and activity.places.waiting() == []


def test_cancelling_the_activity_cancels_every_place_with_the_reason():
    activity = with_people(3)
    activity.cancel("The venue flooded")
    cancelled = [f for f in activity.pending if isinstance(f, RegistrationCancelled)]
    assert [(f.registration_id, f.by, f.reason) for f in cancelled] == [
        (f"r{i}", "activity_cancelled", "The venue flooded") for i in range(3)]
    assert type(activity.pending[-1]) is ActivityCancelled and promoted(activity) == []
    with pytest.raises(errors.ActivityIsCancelled):
        activity.register("r9", "p9", "sealed", NOW)
    with pytest.raises(errors.ActivityIsCancelled):
        activity.open(NOW)


def test_an_organiser_closes_and_reopens_registration():
    activity = opened()
    activity.close_registration()
    with pytest.raises(errors.NotOpen):
        activity.register("r1", "p1", "sealed", NOW)
    activity.open(NOW)
    assert activity.register("r1", "p1", "sealed", NOW).status == "confirmed"


def test_rescheduling_and_changing_details_record_what_changed_and_nothing_when_nothing_did():
    activity = opened()
    activity.reschedule(START + timedelta(days=1), START + timedelta(days=1, hours=2))
    activity.change_details(replace(DETAILS, venue="Hall 2", attendance="in_person"))
    activity.change_details(replace(DETAILS, venue="Hall 2", attendance="in_person"))
    rescheduled, changed = activity.pending
    assert type(rescheduled) is ActivityRescheduled and activity.details.starts_at == START + timedelta(days=1)
    assert type(changed) is ActivityDetailsChanged and changed.changed == ["attendance", "venue"]
    with pytest.raises(errors.EndsBeforeItStarts):
        activity.reschedule(START, START)


def test_check_in_is_for_confirmed_places_and_can_be_undone():
    activity = with_people(3)
    activity.check_in("r0")
    activity.check_in("r0")  # a second tap records nothing
    assert [type(f) for f in activity.pending] == [RegistrationCheckedIn]
    activity.undo_check_in("r0")
    assert not activity.places.get("r0").checked_in
    with pytest.raises(errors.NotConfirmed):
        activity.check_in("r2")
    with pytest.raises(errors.RegistrationNotFound):
        activity.check_in("r-unknown")


def test_a_snapshot_restores_the_waitlist_in_its_order():
    activity = with_people(5)
    activity.check_in("r1")
    restored = Activity("activity-a1")
    restored.restore(activity.snapshot())
    assert restored.snapshot() == activity.snapshot()
    assert [p.registration_id for p in restored.places.waiting()] == ["r2", "r3", "r4"]
