"""One address's place on the suppression list, kept under a keyed digest of the address: unsubscribed
(no more optional mail, such as announcements) or failed permanently (no more mail of any kind,
bookings included, since the server said it cannot be delivered)."""
from datetime import datetime

from shared.aggregate import Aggregate

from notifications.domain.facts import FACTS, AddressSuppressed, AddressSuppressionLifted

UNSUBSCRIBED = "unsubscribed"
FAILED_PERMANENTLY = "failed_permanently"


def suppression_stream(address_key: str) -> str:
    return f"suppression-{address_key}"


class Suppression(Aggregate):
    facts = FACTS

    def __init__(self, stream: str):
        super().__init__(stream)
        self.reasons: dict[str, datetime] = {}  # reason -> since when

    @property
    def address_key(self) -> str:
        return self.stream_id.removeprefix("suppression-")

    def suppress(self, reason: str, now: datetime, cause: str) -> None:
        if reason not in self.reasons:
            self.record(AddressSuppressed(self.address_key, reason, now.isoformat(), cause))

    def lift(self, reason: str, given_at: datetime) -> None:
        """An opt-in given after the address was suppressed for this reason lifts it; an older one
        (delivered late, or under another person id) does not."""
        if reason in self.reasons and given_at > self.reasons[reason]:
            self.record(AddressSuppressionLifted(self.address_key, reason, given_at.isoformat()))

    def blocks(self, optional: bool) -> str | None:
        """Why a mail to the address must not go (None: it may)."""
        if FAILED_PERMANENTLY in self.reasons:
            return FAILED_PERMANENTLY
        return UNSUBSCRIBED if optional and UNSUBSCRIBED in self.reasons else None

    def apply(self, fact) -> None:
        match fact:
            case AddressSuppressed():
                self.reasons[fact.reason] = datetime.fromisoformat(fact.at)
            case AddressSuppressionLifted():
                self.reasons.pop(fact.reason, None)
