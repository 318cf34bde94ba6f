"""Token management for admins: issue (the token is in this one answer only), list, revoke."""
from flask import abort, current_app
from marshmallow import ValidationError, fields, validate, validates_schema

from shared.api.auth import requires
from shared.api.blueprint import Blueprint
from shared.api.schemas import ApiSchema
from shared.tokens import ADMIN, role_problems
from shared.validation import single_line

blueprint = Blueprint("tokens", __name__, url_prefix="/api/tokens", description="API tokens (admin)")


class TokenIn(ApiSchema):
    name = fields.String(required=True, validate=[validate.Length(min=1, max=100), single_line()],
                         metadata={"description": "Who or what holds it, e.g. 'Highland organiser'"})
    role = fields.String(required=True, validate=validate.Length(min=1, max=30))
    organisation = fields.String(load_default="", validate=[validate.Length(max=100), single_line()],
                                 metadata={"description": "The organisation an organiser's token acts for"})

    @validates_schema
    def check_role(self, data, **_):
        for field, message in role_problems(current_app.extensions["api_roles"], data.get("role", ""),
                                            data.get("organisation", "")).items():
            raise ValidationError(message, field_name=field)


class TokenOut(ApiSchema):
    id = fields.String()
    name = fields.String()
    role = fields.String()
    organisation = fields.String()
    created_at = fields.AwareDateTime()
    last_used_at = fields.AwareDateTime(allow_none=True)
    revoked_at = fields.AwareDateTime(allow_none=True)


class TokenIssued(TokenOut):
    token = fields.String(metadata={"description": "Shown this once: only its hash is kept"})


def _runtime():
    return current_app.extensions["runtime"]


@blueprint.post("")
@requires(ADMIN.name)
@blueprint.arguments(TokenIn)
@blueprint.response(201, TokenIssued)
def issue(data):
    runtime = _runtime()
    with runtime.engine.begin() as db:
        record, token = runtime.tokens.issue(db, data["name"], data["role"], data["organisation"], runtime.clock())
    return {**record.__dict__, "token": token}


@blueprint.get("")
@requires(ADMIN.name)
@blueprint.response(200, TokenOut(many=True))
def list_tokens():
    with _runtime().engine.connect() as db:
        return _runtime().tokens.all(db)


@blueprint.delete("/<uuid:token_id>")
@requires(ADMIN.name)
@blueprint.response(204)
def revoke(token_id):
    runtime = _runtime()
    with runtime.engine.begin() as db:
        if not runtime.tokens.revoke(db, str(token_id), runtime.clock()):
            abort(404, f"There is no token {token_id}.")
