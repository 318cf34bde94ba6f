"""Which facts other services hear of, and as what message: the relay's translation table.

Personal data is unsealed here, at the moment of publishing; a person forgotten before their
fact is relayed is simply not announced.
"""
from sqlalchemy import Connection

from shared.contracts import envelope, message_id
from shared.eventstore import EventStore, RecordedFact
from shared.personal_data import PersonalDataVault

PRODUCER = "registration"


class Publications:
    def __init__(self, store: EventStore, vault: PersonalDataVault):
        self.store, self.vault = store, vault

    def translate(self, db: Connection, fact: RecordedFact) -> list[dict]:
        match fact.type:
            case "ActivityOpened":
                return [self._message(fact, "registration.activity.opened", self._opened(db, fact))]
            case "RegistrationConfirmed" | "RegistrationWaitlisted":
                payload = self._registration(db, fact)
                kind = "confirmed" if fact.type == "RegistrationConfirmed" else "waitlisted"
                return [self._message(fact, f"registration.registration.{kind}", payload)] if payload else []
        return []

    def _opened(self, db: Connection, fact: RecordedFact) -> dict:
        drafted = next(f for f in self.store.read_stream(db, fact.stream_id, fact.version) if f.type == "ActivityDrafted")
        return dict(drafted.data)

    def _registration(self, db: Connection, fact: RecordedFact) -> dict | None:
        personal = self.vault.unseal(db, fact.data["person_id"], fact.data["personal"])
        if personal is None:
            return None
        return {"registration_id": fact.data["registration_id"], "activity_id": fact.data["activity_id"],
                "person_id": fact.data["person_id"], "name": personal["name"],
                "email": personal["email"], "activity": fact.data["activity"]}

    @staticmethod
    def _message(fact: RecordedFact, message_type: str, payload: dict) -> dict:
        return envelope(message_type, payload, PRODUCER,
                        message_id=message_id(PRODUCER, fact.stream_id, fact.version),
                        occurred_at=fact.recorded_at, correlation_id=fact.metadata.get("correlation_id") or "",
                        causation_id=fact.metadata.get("causation_id"))
