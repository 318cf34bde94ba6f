"""Unsubscribe from announcements, from the link in every announcement. No account, no cookie, no
CSRF token: the signed link is the authority, and the only change it can make is to take its own
person off the announcement list (booking mail is untouched), which is harmless to repeat.

GET shows a confirm button (so that a link scanner fetching the page unsubscribes nobody); POST
unsubscribes. A mail program's one-click unsubscribe (RFC 8058) is a POST with the body
`List-Unsubscribe=One-Click`, answered 200 with no redirect. A link we did not sign answers 404.
"""
from flask import Blueprint, abort, current_app, render_template, request

from shared.actors import Actor

from notifications.domain.commands import Unsubscribe
from notifications.unsubscribe_links import unsubscribe_links

blueprint = Blueprint("unsubscribe", __name__, template_folder="templates")
NOT_VALID = ("This unsubscribe link is not one we sent. Please use the link at the foot of one of our emails, "
             "copied whole.")
ONE_CLICK = "One-Click"


def _person(token: str) -> str:
    person_id = unsubscribe_links(current_app.extensions["runtime"].settings).read(token)
    if person_id is None:
        abort(404, NOT_VALID)
    return person_id


@blueprint.get("/unsubscribe/<token>")
def confirm(token):
    _person(token)
    return render_template("unsubscribe.html", title="Stop announcements", token=token)


@blueprint.post("/unsubscribe/<token>")
def unsubscribe(token):
    person_id = _person(token)
    how = "one-click" if request.form.get("List-Unsubscribe") == ONE_CLICK else "page"
    current_app.extensions["notifications"].handle(Unsubscribe(actor=Actor.person(), person_id=person_id, how=how))
    return render_template("unsubscribed.html", title="You are unsubscribed")
