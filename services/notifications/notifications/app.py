"""create_app(): notifications' pages. Run by gunicorn as `gunicorn "notifications.app:create_app()"`."""
from flask import Flask, render_template

from shared import web
from shared.runtime import Service

from notifications.bootstrap import bootstrap


def create_app(service: Service | None = None) -> Flask:
    service = service or bootstrap()
    app = Flask(__name__, template_folder="web/templates")
    app.extensions["notifications"] = service
    app.add_url_rule("/", "index", lambda: render_template("index.html", title="Email from Co-production Week"))
    web.configure(app, service.runtime)
    return app
