"""The people who opted in to announcements, each keyed by the person id registration gave them:
their sealed name and address, and when they opted in. An unsubscribe takes a person off the list;
a consent older than it (a message delivered late, or again) never puts them back, a newer one does.
"""
from dataclasses import dataclass
from datetime import datetime

from shared.aggregate import Aggregate

from notifications.domain.facts import FACTS, AnnouncementsSubscribed, AnnouncementsUnsubscribed

ANNOUNCEMENT_LIST = "announcement-list"


@dataclass(frozen=True)
class Subscriber:
    person_id: str
    recipient: str  # sealed
    given_at: str


class AnnouncementList(Aggregate):
    facts = FACTS
    snapshot_every = 100  # a list of thousands loads from its latest snapshot

    def __init__(self, stream: str):
        super().__init__(stream)
        self.subscribers: dict[str, Subscriber] = {}
        self.left: dict[str, str] = {}  # person id -> when they unsubscribed

    def subscribe(self, consent: AnnouncementsSubscribed) -> bool:
        """False (nothing recorded) for a consent already kept, or older than an unsubscribe."""
        held = self.subscribers.get(consent.person_id)
        if held is not None and _moment(held.given_at) >= _moment(consent.given_at):
            return False
        left = self.left.get(consent.person_id)
        if left is not None and _moment(left) >= _moment(consent.given_at):
            return False
        self.record(consent)
        return True

    def unsubscribe(self, person_id: str, now: datetime, how: str) -> Subscriber | None:
        """The subscriber taken off the list; None if they were not on it (twice is once)."""
        held = self.subscribers.get(person_id)
        if held is not None:
            self.record(AnnouncementsUnsubscribed(person_id, now.isoformat(), how))
        return held

    def everyone(self) -> list[Subscriber]:
        return sorted(self.subscribers.values(), key=lambda subscriber: subscriber.person_id)

    def snapshot(self) -> dict:
        return {"subscribers": [vars(s) for s in self.everyone()], "left": self.left}

    def restore(self, state: dict) -> None:
        self.subscribers = {s["person_id"]: Subscriber(**s) for s in state["subscribers"]}
        self.left = dict(state["left"])

    def apply(self, fact) -> None:
        match fact:
            case AnnouncementsSubscribed():
                self.subscribers[fact.person_id] = Subscriber(fact.person_id, fact.recipient, fact.given_at)
                self.left.pop(fact.person_id, None)
            case AnnouncementsUnsubscribed():
                self.subscribers.pop(fact.person_id, None)
                self.left[fact.person_id] = fact.at


def _moment(value: str) -> datetime:
    return datetime.fromisoformat(value)
