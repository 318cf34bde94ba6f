"""Activities of the week: draft one, open it for registration, read it back. Admins do all three;
an organiser reads only its own organisation's activities (another's is a 404, as if absent)."""
import uuid
from datetime import timezone

from flask import abort, current_app

from shared.api import ADMIN, Blueprint, current_actor, requires
from shared.contracts.registration import ActivityDetails

from registration.api.activities.schemas import Accepted, ActivityIn, ActivityOut
from registration.api.roles import ORGANISER
from registration.domain.commands import DraftActivity, OpenActivity
from registration.projections import find_activity

blueprint = Blueprint("activities", __name__, url_prefix="/api/activities",
                      description="Activities of the week")


def _service():
    return current_app.extensions["registration"]


@blueprint.post("")
@requires(ADMIN.name)
@blueprint.arguments(ActivityIn)
@blueprint.response(201, Accepted)
def create(data):
    activity_id = str(data.pop("activity_id") or uuid.uuid4())
    open_now, capacity = data.pop("open"), data.pop("capacity")
    for key in ("starts_at", "ends_at"):
        data[key] = data[key].astimezone(timezone.utc)
    command = DraftActivity(actor=current_actor(), activity_id=activity_id, details=ActivityDetails(**data),
                            capacity=capacity, open_now=open_now)
    _service().handle(command)
    return {"activity_id": activity_id, "status": "open" if open_now else "draft"}


@blueprint.post("/<uuid:activity_id>/open")
@requires(ADMIN.name)
@blueprint.response(200, Accepted)
def open_for_registration(activity_id):
    _service().handle(OpenActivity(actor=current_actor(), activity_id=str(activity_id)))
    return {"activity_id": str(activity_id), "status": "open"}


@blueprint.get("/<uuid:activity_id>")
@requires(ADMIN.name, ORGANISER.name)
@blueprint.response(200, ActivityOut)
def read(activity_id):
    with _service().runtime.engine.connect() as db:
        found = find_activity(db, str(activity_id))
    actor = current_actor()
    if found is None or (actor.role == ORGANISER.name and found["organiser"] != actor.organisation):
        abort(404, f"There is no activity {activity_id} (a new one shows here within a second).")
    return found
