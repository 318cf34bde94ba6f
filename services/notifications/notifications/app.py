"""create_app(): notifications' pages and admin API. Run by gunicorn as `gunicorn "notifications.app:create_app()"`."""
from flask import Flask, render_template

from shared import web
from shared.runtime import Service

from notifications import api
from notifications.bootstrap import bootstrap
from notifications.web import unsubscribe


def create_app(service: Service | None = None) -> Flask:
    service = service or bootstrap()
    app = Flask(__name__, template_folder="web/templates")
    app.extensions["notifications"] = service
    api.register(app)
    app.register_blueprint(unsubscribe.blueprint)
    app.add_url_rule("/", "index", lambda: render_template("index.html", title="Email from Co-production Week"))
    web.configure(app, service.runtime)
    return app
