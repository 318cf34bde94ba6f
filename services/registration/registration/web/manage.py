"""Manage your booking: the page a person reaches from the link in their email, with no account.
It shows their booking and lets them change their access needs or cancel (after a confirm step; a
confirmed place freed goes to the first person waiting). A link we did not sign, for a booking that is
not there, or used after the activity has ended, answers 404 with the same words, telling nothing.
"""
from dataclasses import dataclass

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from shared.actors import Actor

from registration.bookings import Booking, Bookings
from registration.domain.activity import Activity, stream_id
from registration.domain.commands import CancelRegistration, ChangeAccessNeeds
from registration.domain.errors import DomainError
from registration.manage_links import manage_links
from registration.web.forms import AccessNeedsForm, read_form

blueprint = Blueprint("manage", __name__, template_folder="templates")
NOT_VALID = "This link is not valid, or the activity it was for has ended."


@dataclass(frozen=True)
class Found:
    token: str
    activity: Activity
    booking: Booking


def _service():
    return current_app.extensions["registration"]


def _found(token: str) -> Found:
    runtime = _service().runtime
    ids = manage_links(runtime.settings).read(token)
    if ids is None:
        abort(404, NOT_VALID)
    registration_id, activity_id = ids
    with runtime.engine.connect() as db:
        activity = runtime.repository(Activity).get(db, stream_id(activity_id))
        booking = Bookings.of(runtime).booking(db, activity_id, registration_id)
    if booking is None or not activity.exists or runtime.clock() >= activity.details.ends_at:
        abort(404, NOT_VALID)
    return Found(token, activity, booking)


NEEDS_FIELDS = tuple(AccessNeedsForm._declared_fields)


def _page(found: Found, status: int = 200, errors: dict | None = None, typed: dict | None = None, **extra):
    """The booking; after a mistake, with what the person typed and the message beside the field."""
    values = typed or {key: found.booking.personal.get(key) or "" for key in NEEDS_FIELDS}
    return render_template("manage.html", title="Your booking", found=found, details=found.activity.details,
                           values=values, errors=errors or {}, **extra), status


@blueprint.get("/bookings/<token>")
def booking(token):
    return _page(_found(token), saved=request.args.get("saved") == "1")


@blueprint.post("/bookings/<token>/access-needs")
def change_access_needs(token):
    found = _found(token)
    values, errors = read_form(request.form, AccessNeedsForm)
    if errors:
        return _page(found, 422, errors=errors, typed=values)
    return _act(found, ChangeAccessNeeds(actor=Actor.person(), activity_id=found.activity.activity_id,
                                         registration_id=found.booking.registration_id,
                                         **{**values, "needs": tuple(values["needs"])}), "saved")


@blueprint.get("/bookings/<token>/cancel")
def confirm_cancel(token):
    found = _found(token)
    return render_template("manage_cancel.html", title="Cancel your booking", found=found,
                           details=found.activity.details)


@blueprint.post("/bookings/<token>/cancel")
def cancel(token):
    found = _found(token)
    return _act(found, CancelRegistration(actor=Actor.person(), activity_id=found.activity.activity_id,
                                          registration_id=found.booking.registration_id, by="person"), "cancelled")


def _act(found: Found, command, done: str):
    try:
        _service().handle(command)
    except DomainError as refusal:
        return _page(found, refusal.status, refusal=str(refusal))
    return redirect(url_for("manage.booking", token=found.token, **({"saved": "1"} if done == "saved" else {})),
                    code=303)
