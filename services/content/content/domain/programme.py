"""The week's programme: one entry per activity that registration has opened, following what
registration says of it afterwards (changed, rescheduled, closed, reopened, cancelled).

Registration's messages are heard at least once and, across restarts, possibly late: each decision
records a fact only when it changes something, so hearing a message twice changes nothing. An
activity never opened has no entry; what is said of it before it opens is carried by the opened
message itself (registration sends the details as they are at opening), so it is ignored here.
"""
import builtins
from dataclasses import replace
from datetime import datetime

from shared.aggregate import Aggregate
from shared.contracts.registration import ActivityDetails

from content.domain.facts import (FACTS, ActivityListed, ProgrammeEntryCancelled, ProgrammeEntryChanged,
                                  ProgrammeEntryRescheduled, ProgrammeRegistrationClosed,
                                  ProgrammeRegistrationReopened)


def entry_stream(activity_id: str) -> str:
    return f"programme-entry-{activity_id}"


class ProgrammeEntry(Aggregate):
    facts = FACTS

    def __init__(self, stream: str):
        super().__init__(stream)
        self.listed = False
        self.details: ActivityDetails | None = None
        self.registration_open = True
        self.cancelled = False

    def list(self, activity_id: str, details: ActivityDetails) -> None:
        """List the activity once; hearing of it again changes nothing."""
        if not self.listed:
            self.record(ActivityListed(activity_id=activity_id, details=details))

    def change(self, activity_id: str, details: ActivityDetails, changed: builtins.list[str]) -> None:
        if self._following() and details != self.details:
            self.record(ProgrammeEntryChanged(activity_id=activity_id, details=details, changed=changed))

    def reschedule(self, activity_id: str, starts_at: datetime, ends_at: datetime) -> None:
        if self._following() and (starts_at, ends_at) != (self.details.starts_at, self.details.ends_at):
            self.record(ProgrammeEntryRescheduled(activity_id=activity_id, starts_at=starts_at, ends_at=ends_at))

    def close_registration(self, activity_id: str) -> None:
        if self._following() and self.registration_open:
            self.record(ProgrammeRegistrationClosed(activity_id=activity_id))

    def reopen_registration(self, activity_id: str) -> None:
        if self._following() and not self.registration_open:
            self.record(ProgrammeRegistrationReopened(activity_id=activity_id))

    def cancel(self, activity_id: str, reason: str) -> None:
        if self._following():
            self.record(ProgrammeEntryCancelled(activity_id=activity_id, reason=reason))

    def _following(self) -> bool:
        """Listed and not cancelled: a cancelled activity's entry no longer changes."""
        return self.listed and not self.cancelled

    def apply(self, fact) -> None:
        match fact:
            case ActivityListed() | ProgrammeEntryChanged():
                self.listed, self.details = True, fact.details
            case ProgrammeEntryRescheduled():
                self.details = replace(self.details, starts_at=fact.starts_at, ends_at=fact.ends_at)
            case ProgrammeRegistrationClosed():
                self.registration_open = False
            case ProgrammeRegistrationReopened():
                self.registration_open = True
            case ProgrammeEntryCancelled():
                self.cancelled = True
