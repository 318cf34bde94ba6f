"""The week's programme: one entry per activity that registration has opened."""
from shared.aggregate import Aggregate
from shared.contracts.registration import ActivityDetails

from content.domain.facts import FACTS, ActivityListed


def entry_stream(activity_id: str) -> str:
    return f"programme-entry-{activity_id}"


class ProgrammeEntry(Aggregate):
    facts = FACTS

    def __init__(self, stream: str):
        super().__init__(stream)
        self.listed = False

    def list(self, activity_id: str, details: ActivityDetails) -> None:
        """List the activity once; hearing of it again changes nothing."""
        if not self.listed:
            self.record(ActivityListed(activity_id=activity_id, details=details))

    def apply(self, fact) -> None:
        if isinstance(fact, ActivityListed):
            self.listed = True
