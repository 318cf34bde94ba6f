"""Registration's command handlers: each loads the activity, lets it decide and saves what it
recorded, through Repository.execute (one transaction, retried from fresh state on a conflict)."""
import uuid
from dataclasses import dataclass

from shared.commands import Registry
from shared.runtime import Runtime

from registration.domain.activity import Activity, Place, stream_id
from registration.domain.commands import DraftActivity, OpenActivity, Register


@dataclass(frozen=True)
class Outcome:
    registration_id: str
    status: str


class Handlers:
    def __init__(self, runtime: Runtime):
        self.runtime = runtime
        self.activities = runtime.repository(Activity)

    def draft_activity(self, command: DraftActivity) -> None:
        def decide(activity: Activity, _db) -> None:
            activity.draft(command)
            if command.open_now:
                activity.open(self.runtime.clock())
        self.activities.execute(stream_id(command.activity_id), decide, command.actor)

    def open_activity(self, command: OpenActivity) -> None:
        self.activities.execute(stream_id(command.activity_id),
                                lambda activity, _db: activity.open(self.runtime.clock()), command.actor)

    def register(self, command: Register) -> Outcome:
        vault = self.runtime.vault

        def decide(activity: Activity, db) -> Outcome:
            person_id = vault.person_for_email(db, command.email)
            personal = {"name": command.name, "email": command.email,
                        "organisation": command.organisation, "access_needs": command.access_needs}
            place: Place = activity.register(str(uuid.uuid4()), person_id, vault.seal(db, person_id, personal),
                                             self.runtime.clock())
            return Outcome(place.registration_id, place.status)
        return self.activities.execute(stream_id(command.activity_id), decide, command.actor)

    def registry(self) -> Registry:
        return Registry(commands={DraftActivity: self.draft_activity, OpenActivity: self.open_activity,
                                  Register: self.register})
