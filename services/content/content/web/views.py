"""Public pages: the start page, the Co-production Guide and the week's programme."""
from itertools import groupby

from flask import Blueprint, abort, current_app, render_template
from markupsafe import Markup

from shared.timefmt import day
from shared.web import runtime_of

from content.projections import guide_sections, programme_entries

blueprint = Blueprint("pages", __name__, template_folder="templates")


def _read(query):
    with runtime_of(current_app).engine.connect() as db:
        return query(db)


@blueprint.get("/")
def index():
    return render_template("index.html", title="Co-production Week Scotland", sections=_read(guide_sections))


@blueprint.get("/guide")
def guide():
    sections = [{**s, "body_html": Markup(s["body_html"])} for s in _read(guide_sections)]
    return render_template("guide.html", title="The Co-production Guide", sections=sections)


@blueprint.get("/guide/<slug>")
def section(slug):
    found = next((s for s in _read(guide_sections) if s["slug"] == slug), None)
    if found is None:
        abort(404, "There is no such section of the guide.")
    return render_template("section.html", title=found["title"], section={**found, "body_html": Markup(found["body_html"])})


@blueprint.get("/programme")
def programme():
    entries = _read(programme_entries)
    days = [(label, list(group)) for label, group in groupby(entries, key=lambda e: day(e["starts_at"]))]
    return render_template("programme.html", title="The week's programme", days=days)
