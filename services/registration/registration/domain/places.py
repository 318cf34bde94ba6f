"""The places of one activity: who holds one, who waits, and in what order they joined."""
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Place:
    registration_id: str
    person_id: str
    status: str  # confirmed | waitlisted | cancelled
    places: int = 1  # 2 with a carer or personal assistant
    checked_in: bool = False


class Places:
    def __init__(self):
        self.by_registration: dict[str, Place] = {}  # in the order people registered

    def add(self, place: Place) -> None:
        self.by_registration[place.registration_id] = place

    def change(self, registration_id: str, **changes) -> None:
        self.by_registration[registration_id] = replace(self.by_registration[registration_id], **changes)

    def held_by(self, person_id: str) -> Place | None:
        """The person's place, unless they cancelled it."""
        return next((p for p in self.by_registration.values()
                     if p.person_id == person_id and p.status != "cancelled"), None)

    def get(self, registration_id: str) -> Place | None:
        return self.by_registration.get(registration_id)

    @property
    def confirmed(self) -> int:
        """Places taken, a carer's included."""
        return sum(p.places for p in self.by_registration.values() if p.status == "confirmed")

    def waiting(self) -> list[Place]:
        """The waitlist, first come first served (a promoted place keeps its turn: it is confirmed)."""
        return [p for p in self.by_registration.values() if p.status == "waitlisted"]

    def active(self) -> list[Place]:
        return [p for p in self.by_registration.values() if p.status != "cancelled"]

    def as_state(self) -> list[list]:
        return [[p.registration_id, p.person_id, p.status, p.places, p.checked_in]
                for p in self.by_registration.values()]

    @classmethod
    def from_state(cls, state: list[list]) -> "Places":
        places = cls()
        for row in state:
            places.add(Place(*row))
        return places
