"""Public pages: the open activities, one activity with its form, and the confirmation.

The form is guarded before anything is recorded: a limit per client and per recipient (counters
every worker shares, see shared/limits.py), and a honeypot field that only robots fill in. Every
valid submission gets the same answer, so the page never tells a stranger who holds a place.
"""
import uuid
from itertools import groupby

from flask import Blueprint, abort, current_app, redirect, render_template, request, session, url_for
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import TooManyRequests

from shared.actors import Actor
from shared.limits import client_address, recipient
from shared.page_cache import cached_page
from shared.settings import Limit
from shared.timefmt import day
from shared.web import OUTAGE_MESSAGE, OUTAGE_RETRY_AFTER, runtime_of

from registration.domain.commands import Register
from registration.domain.errors import DomainError
from registration.finding import days_of
from registration.projections import find_activity, open_activities, open_days
from registration.domain.needs import ANNOUNCEMENTS_WORDING
from registration.web.forms import read_filters, read_form, typed

blueprint = Blueprint("pages", __name__, template_folder="templates")
HONEYPOT = "homepage"
TOO_MANY_FROM_CLIENT = ("This form has been sent many times from your connection in a short while, so we have not "
                        "recorded this one. Please wait a few minutes and send it again.")
TOO_MANY_FOR_ADDRESS = ("This email address has been given many times in a short while, so we have not recorded "
                        "this one and sent nothing. Please try again later.")


def _service():
    return current_app.extensions["registration"]


def _activity_or_404(activity_id: str) -> dict:
    activity = _visible_activity(activity_id)
    if activity is None:
        abort(404, "There is no such activity.")
    return activity


def _visible_activity(activity_id: str, db=None) -> dict | None:
    """The activity the public may see (not a draft), read on db or a connection of its own."""
    try:
        uuid.UUID(activity_id)
    except ValueError:
        return None
    if db is None:
        with runtime_of(current_app).engine.connect() as db:
            return _visible_activity(activity_id, db)
    activity = find_activity(db, activity_id)
    return None if activity is None or activity["status"] == "draft" else activity


@blueprint.get("/")
@cached_page
def index():
    """The open activities by day, with the filters the URL carries (a wrong one is named, and nothing listed)."""
    wanted, asked, errors = read_filters(request.args)
    now = _service().runtime.clock()
    with runtime_of(current_app).engine.connect() as db:
        activities = [] if errors else open_activities(db, now, wanted)
        starts = [a["starts_at"] for a in activities] if not (errors or wanted.any) else open_days(db, now)
    choosable_days = days_of(starts)  # unfiltered, the list itself holds every open day: one query
    days = [(label, list(group)) for label, group in groupby(activities, key=lambda a: day(a["starts_at"]))]
    return render_template("index.html", title="Activities", days=days, found=len(activities), filtered=wanted.any,
                           asked=asked, errors=errors, choosable_days=choosable_days), 400 if errors else 200


@blueprint.get("/activities/<activity_id>")
@cached_page
def activity(activity_id):
    return render_template("activity.html", activity=_activity_or_404(activity_id), values={}, errors={})


@blueprint.post("/activities/<activity_id>")
def register(activity_id):
    try:
        return _register(activity_id)
    except OperationalError:  # the database is away: keep what the person typed for a second try
        page = render_template("try_again.html", activity_id=activity_id, values=typed(request.form), errors={},
                               message=OUTAGE_MESSAGE)
        return page, 503, {"Retry-After": str(OUTAGE_RETRY_AFTER)}


def _register(activity_id: str):
    """The counts against the limits and the read of the activity share one short transaction; the
    registration is the command's own."""
    settings = runtime_of(current_app).settings
    values, errors = read_form(request.form)
    robot = bool(request.form.get(HONEYPOT))
    limits = [("client", _client(settings), settings.submissions_per_client, TOO_MANY_FROM_CLIENT)]
    if not errors and not robot:
        limits.append(("recipient", recipient(values["email"]), settings.submissions_per_address, TOO_MANY_FOR_ADDRESS))
    with runtime_of(current_app).engine.begin() as db:
        _within_limits(db, limits)
        found = _visible_activity(activity_id, db)
    if found is None:
        abort(404, "There is no such activity.")
    if robot:
        return _sent(activity_id)  # a robot: answered like anyone else, and nothing recorded
    if errors:
        return render_template("activity.html", activity=found, values=values, errors=errors), 422
    try:
        _service().handle(_registration(activity_id, values))
    except DomainError as refusal:
        return render_template("activity.html", activity=found, values=values, errors={},
                               refusal=str(refusal)), refusal.status
    return _sent(activity_id)


def _registration(activity_id: str, values: dict) -> Register:
    """The command for a valid form: the consent, when ticked, in the words the form showed."""
    fields = {**values, "needs": tuple(values["needs"])}
    consent = ANNOUNCEMENTS_WORDING if fields.pop("announcements") else ""
    return Register(actor=Actor.person(), activity_id=activity_id, consent_wording=consent, **fields)


def _client(settings) -> str:
    return client_address(request.remote_addr or "", request.headers.get("X-Forwarded-For", ""),
                          settings.trusted_proxies)


def _within_limits(db, limits: list[tuple[str, str, Limit, str]]) -> None:
    """Count the request against each limit in turn; the first one it is over refuses it (429).
    The counts are committed either way: a refused request still counts."""
    for kind, subject, limit, message in limits:
        wait = current_app.extensions["limits"].hit(db, kind, subject, limit)
        if wait is not None:
            db.commit()
            raise TooManyRequests(message, retry_after=wait)


def _sent(activity_id: str):
    session["sent_for"] = activity_id  # which form was sent, never what became of it
    return redirect(url_for("pages.registered", activity_id=activity_id), code=303)


@blueprint.get("/activities/<activity_id>/registered")
def registered(activity_id):
    if session.get("sent_for") != activity_id:
        return redirect(url_for("pages.activity", activity_id=activity_id))
    return render_template("registered.html", activity=_activity_or_404(activity_id))
