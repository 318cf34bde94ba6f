"""create_app(): registration's public pages and admin API. Run by gunicorn as
`gunicorn "registration.app:create_app()"`."""
from flask import Flask, render_template
from flask_wtf.csrf import CSRFError, CSRFProtect

from shared import web
from shared.contracts.registration import ACCESS_PROVISIONS, ATTENDANCE
from shared.contracts.vocabulary import SECTORS
from shared.limits import RateLimits
from shared.runtime import Service

from registration import api
from registration.bootstrap import bootstrap
from registration.domain.needs import ACCESS_NEEDS, ANNOUNCEMENTS_WORDING, BOOKING_EMAILS
from registration.finding import AREAS
from registration.web.manage import blueprint as manage
from registration.web.views import blueprint as pages


def create_app(service: Service | None = None) -> Flask:
    service = service or bootstrap()
    app = Flask(__name__)
    app.extensions["registration"] = service
    app.extensions["limits"] = _rate_limits(service)
    csrf = CSRFProtect(app)
    api.register(app, csrf)
    app.register_blueprint(pages)
    app.register_blueprint(manage)
    web.configure(app, service.runtime)
    app.jinja_env.globals.update(CHOICES)
    app.register_error_handler(CSRFError, _form_expired)
    return app


CHOICES = {  # the words of the pages' choices, by their keys
    "ACCESS_NEEDS": ACCESS_NEEDS, "BOOKING_EMAILS": BOOKING_EMAILS, "ANNOUNCEMENTS_WORDING": ANNOUNCEMENTS_WORDING,
    "SECTORS": SECTORS, "ATTENDANCE": ATTENDANCE, "AREAS": AREAS, "ACCESS_PROVISIONS": ACCESS_PROVISIONS}


def _rate_limits(service: Service) -> RateLimits:
    runtime = service.runtime
    limits = RateLimits(runtime.engine, runtime.settings.secret_key, runtime.clock)
    limits.create_tables()
    return limits


def _form_expired(_error):
    message = ("This form has expired or did not come from this site, so nothing was recorded. "
               "Go back, reload the page and send it again.")
    return render_template("error.html", title="Please send the form again", message=message), 400
