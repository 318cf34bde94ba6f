"""Who is asking: a bearer token resolved to an Actor, and the roles each endpoint admits.

Every endpoint of an API blueprint (shared.api.Blueprint) needs a live token, checked before the
body is read; it admits only admins unless it says otherwise with @requires, so that a new endpoint
is closed until someone opens it. No token, a malformed header or a revoked token is a
401 with `WWW-Authenticate: Bearer`; a live token whose role may not do it is a 403.
"""
import re
from copy import deepcopy

from flask import current_app, g, request
from flask_smorest.utils import deepupdate
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Forbidden, Unauthorized

from shared.actors import Actor
from shared.settings import service_variable
from shared.tokens import ADMIN, digest, same_token

# RFC 6750: the scheme, one space, a b64token; nothing before or after (no trailing spaces).
BEARER = re.compile(r"Bearer ([A-Za-z0-9._~+/-]+=*)", re.IGNORECASE)
ROLES_KEY = "x-roles"
AUTH_RESPONSES = {"401": {"description": "No token, a malformed Authorization header, or a revoked token"},
                  "403": {"description": "The token's role may not do this"}}


def requires(*roles: str):
    """Admit tokens of these roles to an endpoint, and say so in its OpenAPI operation."""
    def decorate(view):
        view.api_roles = roles
        view._apidoc = deepcopy(getattr(view, "_apidoc", {}))
        view._apidoc["manual_doc"] = deepupdate(view._apidoc.get("manual_doc", {}),
                                                {ROLES_KEY: list(roles), "responses": AUTH_RESPONSES})
        return view
    return decorate


def current_actor() -> Actor:
    return g.api_actor


def guard() -> None:
    """before_request of every API blueprint: authenticate, then check the endpoint's roles."""
    g.api_actor = actor = authenticate()
    view = current_app.view_functions.get(request.endpoint)
    allowed = getattr(view, "api_roles", (ADMIN.name,))
    if actor.role not in allowed:
        raise Forbidden(f"A token with the role {actor.role} may not do this; it needs {' or '.join(allowed)}.")


def authenticate() -> Actor:
    found = BEARER.fullmatch(request.headers.get("Authorization", ""))
    if not found:
        raise _unauthorised("Send a token as 'Authorization: Bearer <token>'.", error=None)
    actor = resolve(found.group(1))
    if actor is None:
        raise _unauthorised("This token is not one we issued, or it has been revoked.", error="invalid_token")
    return actor


def resolve(token: str) -> Actor | None:
    """The service's <SERVICE>_ADMIN_TOKEN (the bootstrap credential) or a live issued token."""
    runtime = current_app.extensions["runtime"]
    if same_token(token, digest(runtime.settings.admin_token)):
        return Actor.token(service_variable(runtime.settings.service, "ADMIN_TOKEN"), ADMIN.name)
    with runtime.engine.begin() as db:
        record = runtime.tokens.resolve(db, token, runtime.clock())
    return record and Actor.token(record.name, record.role, record.organisation)


def _unauthorised(message: str, error: str | None) -> Unauthorized:
    challenge = WWWAuthenticate("bearer", {"error": error} if error else None)
    return Unauthorized(message, www_authenticate=challenge)
