"""Which facts other services hear of, and as what message: the relay's translation table.

Personal data is unsealed here, at the moment of publishing, and only the name and email travel
(access needs stay with the organiser); a person forgotten before their fact is relayed is simply
not announced.
"""
from typing import Callable

from sqlalchemy import Connection

from shared.contracts import MessageType, envelope, message_id
from shared.contracts import registration as contracts
from shared.eventstore import EventStore, RecordedFact
from shared.personal_data import PersonalDataVault

from registration.manage_links import ManageLinks

PRODUCER = "registration"
PERSONAL = ("RegistrationConfirmed", "RegistrationWaitlisted", "RegistrationResubmitted", "AccessNeedsChanged")
IDS = ("registration_id", "activity_id", "person_id")
MANAGED = ("RegistrationConfirmed", "RegistrationWaitlisted", "RegistrationPromoted", "RegistrationResubmitted")


class Publications:
    def __init__(self, store: EventStore, vault: PersonalDataVault, links: ManageLinks):
        self.store, self.vault, self.links = store, vault, links
        self.table: dict[str, tuple[MessageType, Callable[[Connection, RecordedFact], dict | None]]] = {
            "ActivityOpened": (contracts.ACTIVITY_OPENED, self._opened),
            "ActivityDetailsChanged": (contracts.ACTIVITY_CHANGED, self._details_changed),
            "ActivityRescheduled": (contracts.ACTIVITY_RESCHEDULED, _as_is),
            "ActivityRegistrationClosed": (contracts.ACTIVITY_REGISTRATION_CLOSED, _as_is),
            "ActivityRegistrationReopened": (contracts.ACTIVITY_REGISTRATION_REOPENED, _as_is),
            "ActivityCancelled": (contracts.ACTIVITY_CANCELLED, _as_is),
            "RegistrationConfirmed": (contracts.REGISTRATION_CONFIRMED, self._person),
            "RegistrationWaitlisted": (contracts.REGISTRATION_WAITLISTED, self._person),
            "RegistrationResubmitted": (contracts.REGISTRATION_RESUBMITTED, self._person),
            "RegistrationPromoted": (contracts.REGISTRATION_PROMOTED, self._person),
            "RegistrationCancelled": (contracts.REGISTRATION_CANCELLED, self._person),
            "AccessNeedsChanged": (contracts.ACCESS_NEEDS_CHANGED, self._person),
            "RegistrationCheckedIn": (contracts.REGISTRATION_CHECKED_IN, _as_is),
            "AnnouncementsConsented": (contracts.ANNOUNCEMENTS_CONSENTED, self._person),
        }

    def translate(self, db: Connection, fact: RecordedFact) -> list[dict]:
        if fact.type not in self.table:
            return []
        kind, payload_of = self.table[fact.type]
        payload = payload_of(db, fact)
        return [self._message(fact, kind, payload)] if payload is not None else []

    def _opened(self, db: Connection, fact: RecordedFact) -> dict:
        stream = self.store.read_stream(db, fact.stream_id, fact.version)
        drafted = next(f for f in stream if f.type == "ActivityDrafted")
        details = dict(drafted.data["details"])
        for change in (f for f in stream if f.type in ("ActivityDetailsChanged", "ActivityRescheduled")):
            details.update(change.data.get("details") or {k: change.data[k] for k in ("starts_at", "ends_at")})
        return {"activity_id": drafted.data["activity_id"], "capacity": drafted.data["capacity"], **details}

    @staticmethod
    def _details_changed(_db: Connection, fact: RecordedFact) -> dict:
        return {"activity_id": fact.data["activity_id"], "changed": fact.data["changed"], **fact.data["details"]}

    def _person(self, db: Connection, fact: RecordedFact) -> dict | None:
        """The fact's own fields, with the name and email of the person it is about."""
        personal = self._latest_personal(db, fact)
        if personal is None:
            return None
        extra = {key: value for key, value in fact.data.items() if key not in (*IDS, "personal", "places")}
        if fact.type in MANAGED:
            extra["manage_url"] = self.links.url(fact.data["registration_id"], fact.data["activity_id"])
        return {**{key: fact.data[key] for key in IDS}, "name": personal["name"], "email": personal["email"], **extra}

    def _latest_personal(self, db: Connection, fact: RecordedFact) -> dict | None:
        sealed = fact.data.get("personal") or next(
            f.data["personal"] for f in reversed(self.store.read_stream(db, fact.stream_id, fact.version))
            if f.type in PERSONAL and f.data["registration_id"] == fact.data["registration_id"])
        return self.vault.unseal(db, fact.data["person_id"], sealed)

    @staticmethod
    def _message(fact: RecordedFact, kind: MessageType, payload: dict) -> dict:
        return envelope(kind, payload, PRODUCER,
                        message_id=message_id(PRODUCER, fact.stream_id, fact.version),
                        occurred_at=fact.recorded_at, correlation_id=fact.metadata.get("correlation_id") or "",
                        causation_id=fact.metadata.get("causation_id"))


def _as_is(_db: Connection, fact: RecordedFact) -> dict:
    return dict(fact.data)
