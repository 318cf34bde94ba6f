"""Activities of the week, as their organisers run them: draft (and open), list, read, change the
details, open, close and reopen registration, change the capacity, reschedule, cancel.

Admins see and change every activity; an organiser only its own organisation's (another's is a 404,
as if absent: api/access.py). Every change of an activity names, in If-Match, the version it was
made from (the read's ETag): a stale one is a 412 naming the current version, a missing one a 428.
"""
import uuid
from datetime import timezone

from flask import abort

from shared.api import ADMIN, Blueprint, current_actor, requires
from shared.api.paging import PAGED, PageQuery, first_item, page_of
from shared.contracts.registration import ActivityDetails

from registration.api.access import (IF_MATCH_PARAMETER, current_activity, etag, expected_version, guard_activity,
                                     may_see, organisation_filter, refuse, service)
from registration.api.activities.schemas import (Accepted, ActivityIn, ActivityOut, CancelIn, CapacityIn, Changed,
                                                 DetailsChange, RescheduleIn)
from registration.api.roles import ORGANISER
from registration.domain.commands import (CancelActivity, ChangeActivityDetails, ChangeCapacity, CloseRegistration,
                                          DraftActivity, OpenActivity, RescheduleActivity)
from registration.projections import find_activity, list_activities

blueprint = Blueprint("activities", __name__, url_prefix="/api/activities",
                      description="Activities of the week")
blueprint.before_request(guard_activity)
RUNNERS = (ADMIN.name, ORGANISER.name)
EDIT = {"parameters": [IF_MATCH_PARAMETER],
        "responses": {"412": {"description": "If-Match names a version that is no longer the current one"},
                      "428": {"description": "No If-Match"}}}


@blueprint.post("")
@requires(*RUNNERS)
@blueprint.arguments(ActivityIn)
@blueprint.response(201, Accepted)
def create(data):
    activity_id = str(data.pop("activity_id") or uuid.uuid4())
    open_now, capacity = data.pop("open"), data.pop("capacity")
    organisation_id = _organisation_of_new(data.pop("organisation_id"))
    for key in ("starts_at", "ends_at"):
        data[key] = data[key].astimezone(timezone.utc)
    command = DraftActivity(actor=current_actor(), activity_id=activity_id, details=ActivityDetails(**data),
                            capacity=capacity, organisation_id=organisation_id, open_now=open_now)
    service().handle(command)
    return {"activity_id": activity_id, "status": "open" if open_now else "draft"}


def _organisation_of_new(given: str | None) -> str:
    """An organiser's activity is its own organisation's; an admin may name any (none: the network's)."""
    actor = current_actor()
    if actor.role == ADMIN.name:
        return given or ""
    if given not in (None, actor.organisation):
        raise refuse("organisation_id", "an organiser drafts activities for its own organisation only")
    return actor.organisation


@blueprint.get("")
@requires(*RUNNERS)
@blueprint.arguments(PageQuery, location="query", unknown=None)
@blueprint.response(200, ActivityOut(many=True), **PAGED)
def list_all(query):
    """Soonest first; an organiser's own only. Pages: ?page=1&page_size=20, the total in X-Pagination."""
    with service().runtime.engine.connect() as db:
        found, total = list_activities(db, organisation_filter(), first_item(query), query["page_size"])
    return page_of(found, total, query)


@blueprint.get("/<uuid:activity_id>")
@requires(*RUNNERS)
@blueprint.response(200, ActivityOut)
def read(activity_id):
    """The activity as the read tables have it; its ETag is the version an edit names in If-Match."""
    with service().runtime.engine.connect() as db:
        found = find_activity(db, str(activity_id))
    if found is None or not may_see(found["organisation_id"]):
        abort(404, f"There is no activity {activity_id} (a new one shows here within a second).")
    return found, 200, etag(found["version"])


@blueprint.patch("/<uuid:activity_id>")
@requires(*RUNNERS)
@blueprint.arguments(DetailsChange)
@blueprint.response(200, Changed)
@blueprint.doc(**EDIT)
def change_details(data, activity_id):
    """Title, summary, venue, attendance and the like; only the details named change."""
    current = current_activity().details
    details = ActivityDetails(**{**current.__dict__, **data})
    if details.attendance in ("in_person", "hybrid") and not details.venue:
        raise refuse("venue", "an in-person or hybrid activity needs a venue")
    return _change(activity_id, ChangeActivityDetails, details=details)


@blueprint.post("/<uuid:activity_id>/open")
@requires(*RUNNERS)
@blueprint.response(200, Changed)
@blueprint.doc(**EDIT)
def open_for_registration(activity_id):
    """Open a draft for registration (or a closed one again)."""
    return _change(activity_id, OpenActivity)


@blueprint.post("/<uuid:activity_id>/close")
@requires(*RUNNERS)
@blueprint.response(200, Changed)
@blueprint.doc(**EDIT)
def close_registration(activity_id):
    return _change(activity_id, CloseRegistration)


@blueprint.post("/<uuid:activity_id>/reopen")
@requires(*RUNNERS)
@blueprint.response(200, Changed)
@blueprint.doc(**EDIT)
def reopen_registration(activity_id):
    """Open registration again after closing it (the places and the waitlist are as they were)."""
    return _change(activity_id, OpenActivity)


@blueprint.put("/<uuid:activity_id>/capacity")
@requires(*RUNNERS)
@blueprint.arguments(CapacityIn)
@blueprint.response(200, Changed)
@blueprint.doc(**EDIT)
def change_capacity(data, activity_id):
    """Raising it promotes the first people waiting; below the places confirmed is a 409 naming both."""
    return _change(activity_id, ChangeCapacity, capacity=data["capacity"])


@blueprint.post("/<uuid:activity_id>/reschedule")
@requires(*RUNNERS)
@blueprint.arguments(RescheduleIn)
@blueprint.response(200, Changed)
@blueprint.doc(**EDIT)
def reschedule(data, activity_id):
    return _change(activity_id, RescheduleActivity, starts_at=data["starts_at"].astimezone(timezone.utc),
                   ends_at=data["ends_at"].astimezone(timezone.utc))


@blueprint.post("/<uuid:activity_id>/cancel")
@requires(*RUNNERS)
@blueprint.arguments(CancelIn)
@blueprint.response(200, Changed)
@blueprint.doc(**EDIT)
def cancel(data, activity_id):
    """Cancel the activity and every place in it; the reason goes to everyone who held one."""
    return _change(activity_id, CancelActivity, reason=data["reason"])


def _change(activity_id, command_type, **fields):
    version = service().handle(command_type(actor=current_actor(), activity_id=str(activity_id),
                                            expected_version=expected_version(), **fields))
    return {"activity_id": str(activity_id), "version": version}, 200, etag(version)
