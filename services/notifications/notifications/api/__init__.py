"""Notifications' admin API on the shared kit, described by its OpenAPI document at /api/openapi.json."""
from flask import Flask

from shared import api

from notifications.api.mail.resources import blueprint as mail
from notifications.api.reminders.resources import blueprint as reminders
from notifications.api.templates.resources import blueprint as templates

ROLES = [api.ADMIN]
BLUEPRINTS = (mail, reminders, templates)


def register(app: Flask) -> None:
    api.mount(app, title="Co-production Week notifications", roles=ROLES, blueprints=BLUEPRINTS)
