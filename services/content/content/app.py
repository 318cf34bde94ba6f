"""create_app(): the Co-production Guide and the week's programme, and content's admin API. Run by gunicorn as
`gunicorn "content.app:create_app()"`."""
from flask import Flask

from shared import web
from shared.runtime import Service

from content import api
from content.bootstrap import bootstrap
from content.web.articles import blueprint as articles
from content.web.media import blueprint as media
from content.web.search import blueprint as search
from content.web.views import blueprint as pages


def create_app(service: Service | None = None) -> Flask:
    service = service or bootstrap()
    app = Flask(__name__)
    app.extensions["content"] = service
    api.register(app)
    app.register_blueprint(pages)
    app.register_blueprint(articles)
    app.register_blueprint(search)
    app.register_blueprint(media)
    web.configure(app, service.runtime)
    return app
