"""A programme entry follows registration: given facts, when a message's decision, then facts."""
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from shared.contracts.registration import ActivityDetails

from content.domain.facts import (ActivityListed, ProgrammeEntryCancelled, ProgrammeEntryChanged,
                                  ProgrammeEntryRescheduled, ProgrammeRegistrationClosed,
                                  ProgrammeRegistrationReopened)
from content.domain.programme import ProgrammeEntry

START = datetime(2030, 11, 18, 10, tzinfo=timezone.utc)
DETAILS = ActivityDetails(organiser="Org", title="Title", summary="", starts_at=START,
                          ends_at=START + timedelta(hours=2), attendance="online", venue="", region="Online")


def given(*facts) -> ProgrammeEntry:
    entry = ProgrammeEntry("programme-entry-a1")
    for fact in facts:
        entry.apply(fact)
    return entry


LISTED = ActivityListed(activity_id="a1", details=DETAILS)


def test_a_change_is_recorded_once_and_only_for_a_listed_entry():
    entry = given(LISTED)
    new = replace(DETAILS, title="New title")
    entry.change("a1", new, ["title"])
    entry.change("a1", new, ["title"])
    assert entry.pending == [ProgrammeEntryChanged(activity_id="a1", details=new, changed=["title"])]
    never_listed = given()
    never_listed.change("a1", new, ["title"])
    assert never_listed.pending == []


def test_a_reschedule_moves_the_entry_and_the_same_times_again_change_nothing():
    entry = given(LISTED)
    later = START + timedelta(days=1)
    entry.reschedule("a1", later, later + timedelta(hours=1))
    entry.reschedule("a1", later, later + timedelta(hours=1))
    assert entry.pending == [ProgrammeEntryRescheduled(activity_id="a1", starts_at=later,
                                                       ends_at=later + timedelta(hours=1))]
    assert entry.details.starts_at == later


def test_registration_closes_and_reopens_each_once():
    entry = given(LISTED)
    entry.close_registration("a1")
    entry.close_registration("a1")
    entry.reopen_registration("a1")
    entry.reopen_registration("a1")
    assert entry.pending == [ProgrammeRegistrationClosed(activity_id="a1"),
                             ProgrammeRegistrationReopened(activity_id="a1")]


def test_a_cancelled_entry_keeps_its_reason_and_changes_no_more():
    entry = given(LISTED, ProgrammeEntryCancelled(activity_id="a1", reason="Venue flooded"))
    entry.cancel("a1", "again")
    entry.change("a1", replace(DETAILS, title="Other"), ["title"])
    entry.reopen_registration("a1")
    entry.close_registration("a1")
    assert entry.pending == []
