"""The admin API kit every service mounts: flask-smorest with the OpenAPI document at
/api/openapi.json, bearer tokens resolved to an Actor with a role (auth.py), the roles the service
declares, one translation of domain errors (errors.py), refusal of over-deep JSON (limits.py),
strict integers (schemas.py), and the endpoints every service has: tokens and dead letters.

    api.mount(app, title="Co-production Week content", roles=ROLES, blueprints=[guide, programme])
"""
from flask import Flask
from flask_smorest import Api

from shared.api import dead_letters, tokens
from shared.api.auth import ROLES_KEY, current_actor, requires
from shared.api.blueprint import Blueprint
from shared.api.errors import answer_domain_error
from shared.api.schemas import ApiSchema, Integer
from shared.errors import DomainError
from shared.tokens import ADMIN, Role

__all__ = ["mount", "Blueprint", "requires", "current_actor", "ApiSchema", "Integer", "Role", "ADMIN"]
SECURITY_SCHEME = "bearerAuth"


def mount(app: Flask, *, title: str, roles: list[Role], blueprints=(), dead_letter_endpoints: bool = True,
          csrf=None) -> Api:
    """Mount the API on an app, before shared.web.configure (whose error answers replace flask-smorest's).
    It authenticates by bearer token, so it takes no CSRF token."""
    app.extensions["api_roles"] = {role.name: role for role in roles}
    app.config.update(API_TITLE=title, API_VERSION="1", OPENAPI_VERSION="3.0.3", OPENAPI_URL_PREFIX="/api",
                      OPENAPI_JSON_PATH="openapi.json",
                      API_SPEC_OPTIONS={"security": [{SECURITY_SCHEME: []}],
                                        ROLES_KEY: {role.name: role.description for role in roles}})
    api = Api(app)
    api.spec.components.security_scheme(SECURITY_SCHEME, {"type": "http", "scheme": "bearer"})
    app.register_error_handler(DomainError, answer_domain_error)
    common = [tokens.blueprint, *([dead_letters.blueprint] if dead_letter_endpoints else [])]
    for blueprint in [*blueprints, *common]:
        if not isinstance(blueprint, Blueprint):
            raise TypeError(f"{blueprint.name}: make API blueprints with shared.api.Blueprint, which authenticates")
        if csrf is not None:
            csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
    return api
