"""The admin API, described by its own OpenAPI document at /api/openapi.json."""
from flask import Flask
from flask_smorest import Api

from registration.api.activities.resources import blueprint as activities

BLUEPRINTS = (activities,)


def register(app: Flask, csrf) -> None:
    """Mount the API; it authenticates by bearer token, so it takes no CSRF token."""
    app.config.update(API_TITLE="Co-production Week registration", API_VERSION="1",
                      OPENAPI_VERSION="3.0.3", OPENAPI_URL_PREFIX="/api", OPENAPI_JSON_PATH="openapi.json")
    api = Api(app)
    api.spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer"})
    for blueprint in BLUEPRINTS:
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
