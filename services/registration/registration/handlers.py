"""Command handlers: load the activity, let it decide, save what it recorded, in one transaction."""
import uuid
from dataclasses import dataclass

from shared.aggregate import Repository, with_retries
from shared.runtime import Runtime

from registration.domain.activity import Activity, Place, stream_id
from registration.domain.commands import DraftActivity, OpenActivity, Register


@dataclass(frozen=True)
class Outcome:
    registration_id: str
    status: str
    activity: dict


class Handlers:
    def __init__(self, runtime: Runtime):
        self.runtime, self.clock = runtime, runtime.clock
        self.activities = Repository(runtime.store, Activity, runtime.snapshots)

    def draft_activity(self, command: DraftActivity, actor: str, open_now: bool = False) -> None:
        def work(db):
            activity = self.activities.get(db, stream_id(command.activity_id))
            activity.draft(command)
            if open_now:
                activity.open()
            self.activities.save(db, activity, actor=actor)
        with_retries(self.runtime.engine, self.runtime.store, work)

    def open_activity(self, command: OpenActivity, actor: str) -> None:
        def work(db):
            activity = self.activities.get(db, stream_id(command.activity_id))
            activity.open()
            self.activities.save(db, activity, actor=actor)
        with_retries(self.runtime.engine, self.runtime.store, work)

    def register(self, command: Register) -> Outcome:
        vault = self.runtime.vault

        def work(db) -> Outcome:
            activity = self.activities.get(db, stream_id(command.activity_id))
            person_id = vault.person_for_email(db, command.email)
            personal = {"name": command.name, "email": command.email,
                        "organisation": command.organisation, "access_needs": command.access_needs}
            place: Place = activity.places.get(person_id) or activity.register(
                str(uuid.uuid4()), person_id, vault.seal(db, person_id, personal), self.clock())
            self.activities.save(db, activity, actor="public")
            return Outcome(place.registration_id, place.status, activity.summary())
        return with_retries(self.runtime.engine, self.runtime.store, work)
