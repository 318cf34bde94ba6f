"""Public pages: the open activities, one activity with its form, and the confirmation."""
import uuid
from itertools import groupby

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for

from shared.actors import Actor
from shared.timefmt import day
from shared.web import runtime_of

from registration.domain.commands import Register
from registration.domain.errors import DomainError
from registration.projections import find_activity, open_activities
from registration.web.forms import read_form

blueprint = Blueprint("pages", __name__, template_folder="templates")


def _service():
    return current_app.extensions["registration"]


def _activity_or_404(activity_id: str) -> dict:
    try:
        uuid.UUID(activity_id)
    except ValueError:
        abort(404, "There is no such activity.")
    with runtime_of(current_app).engine.connect() as db:
        activity = find_activity(db, activity_id)
    if activity is None or activity["status"] == "draft":
        abort(404, "There is no such activity.")
    return activity


@blueprint.get("/")
def index():
    with runtime_of(current_app).engine.connect() as db:
        activities = open_activities(db, _service().runtime.clock())
    days = [(label, list(group)) for label, group in groupby(activities, key=lambda a: day(a["starts_at"]))]
    return render_template("index.html", title="Activities", days=days)


@blueprint.get("/activities/<activity_id>")
def activity(activity_id):
    return render_template("activity.html", activity=_activity_or_404(activity_id), values={}, errors={})


@blueprint.post("/activities/<activity_id>")
def register(activity_id):
    found = _activity_or_404(activity_id)
    values, errors = read_form(request.form)
    if errors:
        return render_template("activity.html", activity=found, values=values, errors=errors), 422
    try:
        outcome = _service().handle(Register(actor=Actor.person(), activity_id=activity_id, **values))
    except DomainError as refusal:
        return render_template("activity.html", activity=found, values=values, errors={},
                               refusal=str(refusal)), refusal.status
    session["outcome"] = {"activity_id": activity_id, "status": outcome.status}
    return redirect(url_for("pages.registered", activity_id=activity_id), code=303)


@blueprint.get("/activities/<activity_id>/registered")
def registered(activity_id):
    outcome = session.get("outcome")
    if not outcome or outcome["activity_id"] != activity_id:
        return redirect(url_for("pages.activity", activity_id=activity_id))
    return render_template("registered.html", activity=_activity_or_404(activity_id), status=outcome["status"])
