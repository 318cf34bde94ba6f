"""An activity as notifications knows it: what registration's messages said of it, kept in this
service's own log, so that every mail about it says what the activity is now, not what a copy frozen
into each registration said."""
from shared.aggregate import Aggregate
from shared.contracts.registration import ActivityDetails
from shared.errors import DomainError

from notifications.domain.facts import FACTS, ActivityHeardOf


class ActivityNotYetKnown(DomainError):
    """A registration's message came before its activity's: the consumer tries again shortly."""
    status = 503

    def __init__(self, activity_id: str):
        super().__init__(f"activity {activity_id} has not been heard of yet")


def activity_stream(activity_id: str) -> str:
    return f"activity-{activity_id}"


class KnownActivity(Aggregate):
    facts = FACTS

    def __init__(self, stream: str):
        super().__init__(stream)
        self.details: ActivityDetails | None = None

    def hear(self, activity_id: str, details: ActivityDetails) -> None:
        """Keep the details; hearing the same again records nothing."""
        if details != self.details:
            self.record(ActivityHeardOf(activity_id=activity_id, details=details))

    def require_details(self) -> ActivityDetails:
        if self.details is None:
            raise ActivityNotYetKnown(self.stream_id.removeprefix("activity-"))
        return self.details

    def apply(self, fact) -> None:
        if isinstance(fact, ActivityHeardOf):
            self.details = fact.details
