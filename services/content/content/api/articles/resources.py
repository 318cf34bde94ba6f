"""The live posts and case studies, newest first, as editors look them up before writing."""
from flask import current_app

from shared.api import ADMIN, Blueprint, requires

from content.api.articles.schemas import LiveArticleOut
from content.api.roles import CONTRIBUTOR, EDITOR
from content.article_projections import live_articles
from content.domain.articles import CASE_STUDY, POST

blueprint = Blueprint("live-articles", __name__, url_prefix="/api", description="The live posts and case studies")
LIMIT = 500


def _live(kind: str) -> list[dict]:
    with current_app.extensions["content"].runtime.engine.connect() as db:
        return live_articles(db, kind, limit=LIMIT)


@blueprint.get("/posts")
@requires(ADMIN.name, EDITOR.name, CONTRIBUTOR.name)
@blueprint.response(200, LiveArticleOut(many=True))
def posts():
    """The newest 500 live posts."""
    return _live(POST)


@blueprint.get("/case-studies")
@requires(ADMIN.name, EDITOR.name, CONTRIBUTOR.name)
@blueprint.response(200, LiveArticleOut(many=True))
def case_studies():
    """The newest 500 live case studies."""
    return _live(CASE_STUDY)
