"""Whose activity this is, and which version an edit was made from: the two checks every endpoint of
registration's admin API makes before it reads or changes an activity.

An organiser sees and changes only its own organisation's activities; another's answers 404, exactly
as an activity that does not exist, so that a guessed id tells nothing. Ownership is read from the
activity's own stream, or from what a view reads it as (its bookings: the read table with the
stream's facts after it), never from a read table alone, which may lag behind a create a moment ago.
"""
import re
from typing import Any, Callable

from flask import current_app, g, request
from sqlalchemy import Connection
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


def owned_activity(activity_id, load=None):
    """The activity as load(db, activity_id) reads it (by default the aggregate, from its stream), if
    the caller may see it; otherwise ActivityNotFound (404). What is loaded names its organisation_id,
    None when there is no such activity."""
    runtime = service().runtime
    with runtime.engine.connect() as db:
        found = (load or _aggregate)(db, str(activity_id))
    if found.organisation_id is None or not may_see(found.organisation_id):
        raise ActivityNotFound(str(activity_id))
    return found


def _aggregate(db: Connection, activity_id: str) -> Activity:
    return service().runtime.repository(Activity).get(db, stream_id(activity_id))


def reads_activity_as(load: Callable[[Connection, str], Any]):
    """Mark a view that needs the activity only as load(db, activity_id) reads it (its bookings, say):
    the guard checks ownership on that instead of the aggregate, and the view finds it in
    current_activity(), so that the request reads the activity once."""
    def mark(view):
        view.reads_activity_as = load
        return view
    return mark


def guard_activity() -> None:
    """before_request of every blueprint whose routes name an activity, after authentication and
    before the body is read: another organisation's activity is a 404 whatever was sent with it."""
    activity_id = (request.view_args or {}).get("activity_id")
    if activity_id is not None:
        view = current_app.view_functions.get(request.endpoint)
        g.activity = owned_activity(activity_id, getattr(view, "reads_activity_as", None))


def current_activity():
    """The activity the request names, as guard_activity found it: the aggregate, or what the view
    said it reads the activity as."""
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
