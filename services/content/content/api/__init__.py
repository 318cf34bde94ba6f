"""Content's admin API on the shared kit, described by its OpenAPI document at /api/openapi.json."""
from flask import Flask

from shared import api

from content.api.articles.resources import blueprint as articles
from content.api.articles.revisions import case_studies, posts
from content.api.guide.resources import blueprint as guide
from content.api.guide.revisions import blueprint as guide_revisions
from content.api.media.resources import blueprint as media
from content.api.programme.resources import blueprint as programme
from content.api.roles import ROLES

BLUEPRINTS = (guide, guide_revisions, articles, posts, case_studies, media, programme)


def register(app: Flask) -> None:
    api.mount(app, title="Co-production Week content", roles=ROLES, blueprints=BLUEPRINTS)
