"""Public pages: the start page, the Co-production Guide and the week's programme."""
from itertools import groupby

from flask import Blueprint, Response, abort, current_app, render_template, request
from markupsafe import Markup

from shared.timefmt import day
from shared.web import runtime_of

from content import text
from content.projections import (easy_read_version, easy_read_versions, guide_contents, live_section,
                                 programme_entries, publications, published_revisions, sub_sections)
from content.web.feed import guide_feed

blueprint = Blueprint("pages", __name__, template_folder="templates")


def _read(query):
    with runtime_of(current_app).engine.connect() as db:
        return query(db)


@blueprint.get("/")
def index():
    return render_template("index.html", title="Co-production Week Scotland", sections=_read(guide_contents))


@blueprint.get("/guide")
def guide():
    """The contents, sub-sections nested under their sections, then every section in that order."""
    easy_reads = _read(easy_read_versions)

    def shown(s: dict) -> dict:
        return {**s, "body_html": Markup(s["body_html"]), "easy_read": easy_reads.get(s["slug"]),
                "sub_sections": [shown(sub) for sub in s.get("sub_sections", [])]}
    return render_template("guide.html", title="The Co-production Guide", sections=[shown(s) for s in
                                                                                     _read(guide_contents)])


@blueprint.get("/guide/feed.atom")
def guide_feed_view():
    atom = guide_feed(_read(publications), runtime_of(current_app).clock())
    return Response(atom, mimetype="application/atom+xml")


@blueprint.get("/guide/<slug>")
def section(slug):
    """A live section, linked to its Easy Read version (or, being one, to the standard version), to the
    section it is a sub-section of and to its own sub-sections."""
    found = _read(lambda db: live_section(db, slug))
    if found is None:
        abort(404, "There is no such section of the guide.")
    standard = found["easy_read_of"] and _read(lambda db: live_section(db, found["easy_read_of"]))
    easy_read = None if found["easy_read_of"] else _read(lambda db: easy_read_version(db, slug))
    parent = found["parent"] and _read(lambda db: live_section(db, found["parent"]))
    return render_template("section.html", title=found["title"], standard=standard, easy_read=easy_read,
                           parent=parent, sub_sections=_read(lambda db: sub_sections(db, slug)),
                           section={**found, "body_html": Markup(found["body_html"])})


def _history(slug: str) -> list[dict]:
    """The section's published revisions, oldest first; a 404 when it has none (drafts never show)."""
    found = _read(lambda db: published_revisions(db, slug))
    if not found:
        abort(404, "There is no such section of the guide.")
    return found


@blueprint.get("/guide/<slug>/history")
def history(slug):
    revisions = _history(slug)
    return render_template("history.html", title=f"History of {revisions[-1]['title']}", slug=slug,
                           revisions=list(reversed(revisions)))


@blueprint.get("/guide/<slug>/revisions/<int:number>")
def revision(slug, number):
    """Every published revision keeps this address, whatever is published after it."""
    found = next((r for r in _history(slug) if r["revision"] == number), None)
    if found is None:
        abort(404, f"Revision {number} of this section was never published.")
    return render_template("revision.html", title=f"{found['title']} (revision {number})",
                           revision={**found, "body_html": Markup(found["body_html"])})


@blueprint.get("/guide/<slug>/changes")
def changes(slug):
    """What changed between two published revisions (?from=1&to=2), word by word."""
    revisions = {r["revision"]: r for r in _history(slug)}
    before, after = (revisions.get(request.args.get(name, type=int)) for name in ("from", "to"))
    if before is None or after is None:
        abort(404, "from, to: give two published revisions of this section, as ?from=1&to=2.")
    return render_template("changes.html", title=f"What changed in {after['title']}", slug=slug, before=before,
                           after=after, changes=text.changes_html(before["body"], after["body"]))


@blueprint.get("/programme")
def programme():
    entries = _read(programme_entries)
    days = [(label, list(group)) for label, group in groupby(entries, key=lambda e: day(e["starts_at"]))]
    return render_template("programme.html", title="The week's programme", days=days)
