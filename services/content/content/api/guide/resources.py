"""The Co-production Guide as content holds it: each live section and its revision, in reading order
(each section followed by its sub-sections)."""
from flask import current_app

from shared.api import ADMIN, Blueprint, requires
from shared.eventstore import as_utc

from content.api.guide.schemas import SectionOut
from content.api.roles import CONTRIBUTOR, EDITOR
from content.projections import in_reading_order

blueprint = Blueprint("guide", __name__, url_prefix="/api/guide", description="The Co-production Guide")


@blueprint.get("/sections")
@requires(ADMIN.name, EDITOR.name, CONTRIBUTOR.name)
@blueprint.response(200, SectionOut(many=True))
def sections():
    with current_app.extensions["runtime"].engine.connect() as db:
        return [{**section, "published_at": as_utc(section["published_at"])} for section in in_reading_order(db)]
