"""Whose activity this is, and which version an edit was made from: the two checks every endpoint of
registration's admin API makes before it reads or changes an activity.

An organiser sees and changes only its own organisation's activities; another's answers 404, exactly
as an activity that does not exist, so that a guessed id tells nothing. Ownership is read from the
activity's own stream (never the read tables, which may lag behind a create a moment ago).
"""
import re

from flask import current_app, g, request
from werkzeug.exceptions import BadRequest, PreconditionRequired, UnprocessableEntity

from shared.api import ADMIN, current_actor

from registration.api.roles import ORGANISER
from registration.domain.activity import Activity, stream_id
from registration.domain.errors import ActivityNotFound

IF_MATCH = re.compile(r'(?:W/)?"?(\d{1,9})"?')
IF_MATCH_PARAMETER = {"in": "header", "name": "If-Match", "required": True, "schema": {"type": "string"},
                      "description": "The activity's version as its read returned it in ETag, e.g. \"7\""}


NO_IF_MATCH = "Send the activity's ETag (from reading it) in If-Match, so that no change you never saw is overwritten."


def service():
    return current_app.extensions["registration"]


def owned_activity(activity_id) -> Activity:
    """The activity as its stream has it, if the caller may see it; otherwise ActivityNotFound (404)."""
    runtime = service().runtime
    with runtime.engine.connect() as db:
        activity = runtime.repository(Activity).get(db, stream_id(str(activity_id)))
    if not activity.exists or not may_see(activity.drafted.organisation_id):
        raise ActivityNotFound(str(activity_id))
    return activity


def guard_activity() -> None:
    """before_request of every blueprint whose routes name an activity, after authentication and
    before the body is read: another organisation's activity is a 404 whatever was sent with it."""
    activity_id = (request.view_args or {}).get("activity_id")
    if activity_id is not None:
        g.activity = owned_activity(activity_id)


def current_activity() -> Activity:
    """The activity the request names, as guard_activity found it."""
    return g.activity


def may_see(organisation_id: str) -> bool:
    actor = current_actor()
    return actor.role == ADMIN.name or (actor.role == ORGANISER.name and organisation_id == actor.organisation)


def organisation_filter() -> str | None:
    """The organisation a list is limited to: the organiser's own; None for an admin (all)."""
    actor = current_actor()
    return None if actor.role == ADMIN.name else actor.organisation


def expected_version() -> int:
    """The version named by If-Match: required on every edit of an activity."""
    header = request.headers.get("If-Match")
    if header is None:
        raise PreconditionRequired(NO_IF_MATCH)
    found = IF_MATCH.fullmatch(header.strip())
    if not found:
        raise BadRequest('If-Match must be the activity\'s ETag, a version number in quotes such as "7".')
    return int(found.group(1))


def etag(version: int) -> dict:
    return {"ETag": f'"{version}"'}


def refuse(field: str, message: str) -> UnprocessableEntity:
    """A 422 naming the field, shaped as the schemas' own (errors.json.<field>)."""
    error = UnprocessableEntity(f"{field}: {message}")
    error.data = {"messages": {"json": {field: [message]}}}
    return error
