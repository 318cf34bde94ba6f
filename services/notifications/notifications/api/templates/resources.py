"""Previews of every mail template with sample data, as the mailer would compose it."""
from flask import abort, current_app
from marshmallow import fields

from shared.api import ADMIN, ApiSchema, Blueprint, requires

from notifications.previews import preview, template_names

blueprint = Blueprint("templates", __name__, url_prefix="/api/templates", description="Mail templates")


class TemplateList(ApiSchema):
    templates = fields.List(fields.String())


class PreviewOut(ApiSchema):
    template = fields.String()
    subject = fields.String()
    text = fields.String(metadata={"description": "The plain-text part"})
    html = fields.String(metadata={"description": "The HTML part (everything it prints escaped)"})
    calendar = fields.String(allow_none=True, metadata={"description": "The .ics it carries, if any"})
    headers = fields.Dict(keys=fields.String(), values=fields.String(),
                          metadata={"description": "List-Unsubscribe and List-Unsubscribe-Post, on announcements"})


@blueprint.get("")
@requires(ADMIN.name)
@blueprint.response(200, TemplateList)
def list_templates():
    return {"templates": template_names()}


@blueprint.get("/<name>/preview")
@requires(ADMIN.name)
@blueprint.response(200, PreviewOut)
def preview_template(name):
    found = preview(name, current_app.extensions["runtime"].settings.mail_from)
    if found is None:
        abort(404, f"no template called {name!r}; GET /api/templates lists them")
    return found
