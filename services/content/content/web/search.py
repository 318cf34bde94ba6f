"""The public search page: one GET form; results across the guide, posts and case studies, best
first, 20 to a page (content.web.paging), with the matching words marked (everything else escaped:
nothing from the query or the index is raw HTML)."""
from flask import Blueprint, abort, current_app, render_template, request, url_for

from shared.web import runtime_of

from content import search as index
from content import text
from content.web.paging import page_of

blueprint = Blueprint("search", __name__, template_folder="templates")
MAX_QUERY = 200
KINDS = {"section": ("Guide", "pages.section"), "post": ("Post", "articles.post"),
         "case_study": ("Case study", "articles.case_study")}


@blueprint.get("/search")
def search():
    query = request.args.get("q", "").strip()
    if len(query) > MAX_QUERY:
        abort(400, f"q: search for at most {MAX_QUERY} characters.")
    page = page_of(lambda limit, offset: _found(query, limit, offset), "results") if query else None
    return render_template("search.html", title=f"Search: {query}" if query else "Search", query=query, page=page)


def _found(query: str, limit: int, offset: int) -> list[dict]:
    with runtime_of(current_app).engine.connect() as db:
        return [_shown(found) for found in index.search(db, query, limit=limit, offset=offset)]


def _shown(found: dict) -> dict:
    label, endpoint = KINDS[found["kind"]]
    return {"label": label, "url": url_for(endpoint, slug=found["slug"]), "published_at": found["published_at"],
            "title": text.marked(found["title"]), "excerpt": text.marked(found["excerpt"])}
