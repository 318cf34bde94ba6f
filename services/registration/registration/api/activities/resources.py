"""Organisers' activities: draft one, open it for registration, read it back."""
import uuid
from datetime import timezone

from flask import abort, current_app
from flask_smorest import Blueprint

from shared.actors import Actor
from shared.contracts.registration import ActivityDetails

from registration.api.auth import require_admin
from registration.api.activities.schemas import Accepted, ActivityIn, ActivityOut
from registration.domain.commands import DraftActivity, OpenActivity
from registration.domain.errors import DomainError
from registration.projections import find_activity

blueprint = Blueprint("activities", __name__, url_prefix="/api/activities",
                      description="Activities of the week (admin)")
blueprint.before_request(require_admin)


ADMIN = Actor.token("admin", "admin")  # the one admin token, until the API kit names each token


def _service():
    return current_app.extensions["registration"]


def _refuse(error: DomainError):
    abort(error.status, str(error))


@blueprint.post("")
@blueprint.arguments(ActivityIn)
@blueprint.response(201, Accepted)
@blueprint.doc(security=[{"bearerAuth": []}])
def create(data):
    activity_id = str(data.pop("activity_id") or uuid.uuid4())
    open_now, capacity = data.pop("open"), data.pop("capacity")
    for key in ("starts_at", "ends_at"):
        data[key] = data[key].astimezone(timezone.utc)
    command = DraftActivity(actor=ADMIN, activity_id=activity_id, details=ActivityDetails(**data),
                            capacity=capacity, open_now=open_now)
    try:
        _service().handle(command)
    except DomainError as error:
        _refuse(error)
    return {"activity_id": activity_id, "status": "open" if open_now else "draft"}


@blueprint.post("/<uuid:activity_id>/open")
@blueprint.response(200, Accepted)
@blueprint.doc(security=[{"bearerAuth": []}])
def open_for_registration(activity_id):
    try:
        _service().handle(OpenActivity(actor=ADMIN, activity_id=str(activity_id)))
    except DomainError as error:
        _refuse(error)
    return {"activity_id": str(activity_id), "status": "open"}


@blueprint.get("/<uuid:activity_id>")
@blueprint.response(200, ActivityOut)
@blueprint.doc(security=[{"bearerAuth": []}])
def read(activity_id):
    with current_app.extensions["registration"].runtime.engine.connect() as db:
        found = find_activity(db, str(activity_id))
    if found is None:
        abort(404, f"There is no activity {activity_id} (a new one shows here within a second).")
    return found
