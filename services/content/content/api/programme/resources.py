"""The week's programme as content holds it: every activity registration has opened."""
from flask import current_app

from shared.api import ADMIN, Blueprint, requires

from content.api.programme.schemas import EntryOut
from content.api.roles import EDITOR
from content.projections import programme_entries

blueprint = Blueprint("programme", __name__, url_prefix="/api/programme", description="The week's programme")


@blueprint.get("")
@requires(ADMIN.name, EDITOR.name)
@blueprint.response(200, EntryOut(many=True))
def entries():
    with current_app.extensions["runtime"].engine.connect() as db:
        return programme_entries(db)
