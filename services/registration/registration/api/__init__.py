"""Registration's admin API on the shared kit, described by its OpenAPI document at /api/openapi.json."""
from flask import Flask

from shared import api

from registration.api.activities.resources import blueprint as activities
from registration.api.bookings.resources import blueprint as bookings
from registration.api.organisations.resources import blueprint as organisations
from registration.api.roles import ROLES

BLUEPRINTS = (activities, bookings, organisations)


def register(app: Flask, csrf) -> None:
    api.mount(app, title="Co-production Week registration", roles=ROLES, blueprints=BLUEPRINTS,
              dead_letter_endpoints=False, csrf=csrf)
