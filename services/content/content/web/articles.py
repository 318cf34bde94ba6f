"""Public pages of posts and case studies: a list each, filtered by tag (and, for case studies, by
sector) through a GET form, so that a filtered list has its own address, 20 to a page
(content.web.paging); a page each; Atom feeds of all of a kind and of one tag, from one builder."""
import re

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from markupsafe import Markup

from shared.contracts.vocabulary import SECTORS
from shared.web import runtime_of

from content.api.guide.schemas import SLUG
from content.article_projections import all_tags, live_article, live_articles
from content.domain.articles import CASE_STUDY, POST
from content.web.feed import articles_feed
from content.web.paging import page_of

blueprint = Blueprint("articles", __name__, template_folder="templates")
KINDS = {POST: {"list": "articles.posts", "page": "articles.post", "feed": "articles.posts_feed",
               "tag_feed": "articles.posts_tag_feed", "title": "Posts", "one": "post"},
         CASE_STUDY: {"list": "articles.case_studies", "page": "articles.case_study",
                      "feed": "articles.case_studies_feed", "tag_feed": "articles.case_studies_tag_feed",
                      "title": "Case studies", "one": "case study"}}


def _read(query):
    with runtime_of(current_app).engine.connect() as db:
        return query(db)


def checked_tag(tag: str | None) -> str | None:
    """A tag from the address: empty means any; anything not shaped like a tag is a 400 naming it."""
    if tag and (len(tag) > 40 or not re.fullmatch(SLUG, tag)):
        abort(400, "tag: a tag is lowercase letters, digits and single hyphens, at most 40 characters.")
    return tag or None


def _checked_sector(sector: str | None) -> str | None:
    if sector and sector not in SECTORS:
        abort(400, "sector: choose one of the sectors in the list.")
    return sector or None


def _listing(kind: str, sector: str | None = None):
    tag, names = checked_tag(request.args.get("tag")), KINDS[kind]
    with runtime_of(current_app).engine.connect() as db:  # one connection for the page and the tags
        page = page_of(lambda limit, offset: live_articles(db, kind, tag=tag, sector=sector, limit=limit,
                                                           offset=offset), names["title"].lower())
        offered = all_tags(db, kind)
    return render_template("articles.html", title=names["title"], kind=kind, names=names, page=page, tag=tag,
                           sector=sector, tags=offered, sectors=SECTORS, feed=_feed_link(names, tag))


def _feed_link(names: dict, tag: str | None) -> dict:
    """The feed a list links to: its tag's when it shows one tag, else all of its kind."""
    url = url_for(names["tag_feed"], tag=tag) if tag else url_for(names["feed"])
    return {"url": url, "name": _feed_title(names, tag)}


def _feed_title(names: dict, tag: str | None) -> str:
    return f"{names['title']} tagged “{tag}”" if tag else names["title"]


@blueprint.get("/posts")
def posts():
    return _listing(POST)


@blueprint.get("/case-studies")
def case_studies():
    return _listing(CASE_STUDY, _checked_sector(request.args.get("sector")))


def _page(kind: str, slug: str):
    found = _read(lambda db: live_article(db, kind, slug))
    if found is None:
        abort(404, f"There is no such {KINDS[kind]['one']}.")
    return render_template("article.html", title=found["title"], names=KINDS[kind], sectors=SECTORS,
                           article={**found, "body_html": Markup(found["body_html"])})


@blueprint.get("/posts/<slug>")
def post(slug):
    return _page(POST, slug)


@blueprint.get("/case-studies/<slug>")
def case_study(slug):
    return _page(CASE_STUDY, slug)


def _feed(kind: str, tag: str | None):
    found = _read(lambda db: live_articles(db, kind, tag=tag))
    names = KINDS[kind]
    atom = articles_feed(found, runtime_of(current_app).clock(),
                         title=f"{_feed_title(names, tag)}: Co-production Week Scotland",
                         self_url=request.base_url, alternate_url=url_for(names["list"], tag=tag, _external=True),
                         page_endpoint=names["page"])
    return Response(atom, mimetype="application/atom+xml")


@blueprint.get("/posts/feed.atom")
def posts_feed():
    return _feed(POST, None)


@blueprint.get("/posts/tags/<tag>/feed.atom")
def posts_tag_feed(tag):
    return _feed(POST, checked_tag(tag))


@blueprint.get("/case-studies/feed.atom")
def case_studies_feed():
    return _feed(CASE_STUDY, None)


@blueprint.get("/case-studies/tags/<tag>/feed.atom")
def case_studies_tag_feed(tag):
    return _feed(CASE_STUDY, checked_tag(tag))
