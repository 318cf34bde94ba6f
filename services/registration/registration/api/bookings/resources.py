"""An activity's bookings, for its organiser: the confirmed, waiting and cancelled lists with each
person's details (unsealed for the organiser alone), as a CSV file too, the access brief (needs
counted, never named), check-in and its undo, a cancellation on someone's behalf, and the activity's
history. A list now is the registrations read table with the stream's facts it has not reached yet
(registration/bookings.py), read once: the organiser check reads it too. History, and a list with
`?as_at=` (as it stood at that moment), are rebuilt from the activity's stream.

Booking changes take no If-Match: each names one registration, and the activity decides it against
its current state (two volunteers checking in two people at one door must not refuse each other).
"""
from collections import Counter
from functools import partial

from flask import Response

from shared.api import Blueprint, current_actor, requires
from shared.api.paging import PAGED, sliced

from registration.api.access import current_activity, guard_activity, reads_activity_as, service
from registration.api.activities.resources import RUNNERS
from registration.api.bookings.export import as_csv
from registration.api.bookings.schemas import (AccessBriefOut, BookingChanged, BookingOut, BookingsQuery, CancelBookingIn,
                                               ExportQuery, HistoryOut, HistoryQuery)
from registration.bookings import Bookings, Listing, history_entry
from registration.domain.commands import CancelRegistration, CheckIn, UndoCheckIn
from registration.domain.needs import ACCESS_NEEDS, needs_of

blueprint = Blueprint("bookings", __name__, url_prefix="/api/activities",
                      description="The bookings and history of an activity, for its organiser")
blueprint.before_request(guard_activity)


def _bookings_of() -> Bookings:
    return Bookings.of(service().runtime)


def _bookings_now(db, activity_id: str) -> Listing:
    """What the lists read the activity as: its bookings now, whose activity it is with them."""
    return _bookings_of().now(db, activity_id)


def _bookings(activity_id, status: str, as_at=None, shown=lambda found, unsealed: unsealed(found)):
    """One list, as `shown` makes of it (by default: everyone on it) given the list still sealed and
    the means to unseal what it keeps, so that a page unseals its own people only. Now: as the guard
    read it; at a moment: rebuilt from the facts up to it."""
    bookings = _bookings_of()
    with service().runtime.engine.connect() as db:
        listing = current_activity() if as_at is None else bookings.at(db, str(activity_id), as_at)
        return shown(listing.of_status(status), partial(bookings.unsealed, db))


@blueprint.get("/<uuid:activity_id>/bookings")
@requires(*RUNNERS)
@reads_activity_as(_bookings_now)
@blueprint.arguments(BookingsQuery, location="query", unknown=None)
@blueprint.response(200, BookingOut(many=True), **PAGED)
def list_bookings(query, activity_id):
    """One list, in the order people registered (the waitlist's order is the order of promotion)."""
    return _bookings(activity_id, query["status"], query["as_at"],
                     shown=lambda found, unsealed: sliced(found, query, shown=unsealed))


@blueprint.get("/<uuid:activity_id>/bookings.csv")
@requires(*RUNNERS)
@reads_activity_as(_bookings_now)
@blueprint.arguments(ExportQuery, location="query", unknown=None)
@blueprint.response(200, content_type="text/csv", description="The list as CSV, formulas neutralised")
def export_bookings(query, activity_id):
    body = as_csv(_bookings(activity_id, query["status"], query["as_at"]))
    filename = f"{query['status']}-{activity_id}.csv"
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@blueprint.get("/<uuid:activity_id>/access-brief")
@requires(*RUNNERS)
@reads_activity_as(_bookings_now)
@blueprint.response(200, AccessBriefOut)
def access_brief(activity_id):
    """What the room needs, for the confirmed: each need chosen from the list counted, and the needs
    written in people's own words (dietary ones apart), counted as written; never who."""
    people = [b.personal for b in _bookings(activity_id, "confirmed")]
    chosen = Counter(need for person in people for need in needs_of(person))
    return {"confirmed_people": len(people),
            "with_carer": sum(1 for person in people if person.get("with_carer")),
            "with_access_needs": sum(1 for person in people if _any_need(person)),
            "access_needs": [{"need": need, "label": label, "count": chosen[need]}
                             for need, label in ACCESS_NEEDS.items()],
            "dietary_needs": _counted_words(person.get("dietary_needs", "") for person in people),
            "needs": _counted_words(person.get("access_needs", "") for person in people)}


def _any_need(person: dict) -> bool:
    return bool(needs_of(person) or person.get("access_needs", "").strip())


def _counted_words(written) -> list[dict]:
    """Each need as written (spaces tidied), counted, most asked first."""
    counted = Counter(" ".join(text.split()) for text in written if text.strip())
    return [{"need": need, "count": count} for need, count in sorted(counted.items(),
                                                                     key=lambda item: (-item[1], item[0]))]


@blueprint.post("/<uuid:activity_id>/bookings/<uuid:registration_id>/check-in")
@requires(*RUNNERS)
@blueprint.response(200, BookingChanged)
def check_in(activity_id, registration_id):
    """Only a confirmed place is checked in (409 otherwise); twice is the same as once."""
    return _change(activity_id, registration_id, CheckIn)


@blueprint.delete("/<uuid:activity_id>/bookings/<uuid:registration_id>/check-in")
@requires(*RUNNERS)
@blueprint.response(200, BookingChanged)
def undo_check_in(activity_id, registration_id):
    return _change(activity_id, registration_id, UndoCheckIn)


@blueprint.post("/<uuid:activity_id>/bookings/<uuid:registration_id>/cancel")
@requires(*RUNNERS)
@blueprint.arguments(CancelBookingIn)
@blueprint.response(200, BookingChanged)
def cancel_booking(data, activity_id, registration_id):
    """Cancel on the person's behalf; a confirmed place freed goes to the first person waiting."""
    return _change(activity_id, registration_id, CancelRegistration, by="organiser", reason=data["reason"])


@blueprint.get("/<uuid:activity_id>/history")
@requires(*RUNNERS)
@blueprint.arguments(HistoryQuery, location="query", unknown=None)
@blueprint.response(200, HistoryOut(many=True), **PAGED)
def history(query, activity_id):
    """Every change to the activity and its bookings, oldest first: what, who and when."""
    runtime = service().runtime
    with runtime.engine.connect() as db:
        facts = _bookings_of().facts(db, str(activity_id), query["as_at"])
    return sliced(facts, query, shown=lambda entries: [history_entry(fact) for fact in entries])


def _change(activity_id, registration_id, command_type, **fields):
    version = service().handle(command_type(actor=current_actor(), activity_id=str(activity_id),
                                            registration_id=str(registration_id), **fields))
    return {"activity_id": str(activity_id), "registration_id": str(registration_id), "version": version}
