"""Which facts other services hear of, and as what message: the relay's translation table.

Personal data is unsealed here, at the moment of publishing; a person forgotten before their
fact is relayed is simply not announced.
"""
from sqlalchemy import Connection

from shared.contracts import MessageType, envelope, message_id
from shared.contracts.registration import (ACTIVITY_OPENED, REGISTRATION_CONFIRMED, REGISTRATION_RESUBMITTED,
                                           REGISTRATION_WAITLISTED)
from shared.eventstore import EventStore, RecordedFact
from shared.personal_data import PersonalDataVault

PRODUCER = "registration"
REGISTRATION_MESSAGES = {"RegistrationConfirmed": REGISTRATION_CONFIRMED,
                         "RegistrationWaitlisted": REGISTRATION_WAITLISTED,
                         "RegistrationResubmitted": REGISTRATION_RESUBMITTED}


class Publications:
    def __init__(self, store: EventStore, vault: PersonalDataVault):
        self.store, self.vault = store, vault

    def translate(self, db: Connection, fact: RecordedFact) -> list[dict]:
        if fact.type == "ActivityOpened":
            return [self._message(fact, ACTIVITY_OPENED, self._opened(db, fact))]
        if fact.type in REGISTRATION_MESSAGES:
            payload = self._registration(db, fact)
            return [self._message(fact, REGISTRATION_MESSAGES[fact.type], payload)] if payload else []
        return []

    def _opened(self, db: Connection, fact: RecordedFact) -> dict:
        drafted = next(f for f in self.store.read_stream(db, fact.stream_id, fact.version) if f.type == "ActivityDrafted")
        return {"activity_id": drafted.data["activity_id"], "capacity": drafted.data["capacity"],
                **drafted.data["details"]}

    def _registration(self, db: Connection, fact: RecordedFact) -> dict | None:
        personal = self.vault.unseal(db, fact.data["person_id"], fact.data["personal"])
        if personal is None:
            return None
        payload = {"registration_id": fact.data["registration_id"], "activity_id": fact.data["activity_id"],
                   "person_id": fact.data["person_id"], "name": personal["name"], "email": personal["email"]}
        return {**payload, "status": fact.data["status"]} if "status" in fact.data else payload

    @staticmethod
    def _message(fact: RecordedFact, kind: MessageType, payload: dict) -> dict:
        return envelope(kind, payload, PRODUCER,
                        message_id=message_id(PRODUCER, fact.stream_id, fact.version),
                        occurred_at=fact.recorded_at, correlation_id=fact.metadata.get("correlation_id") or "",
                        causation_id=fact.metadata.get("causation_id"))
