"""What every service's Flask app has in common: layout, health, errors, correlation, headers,
cookies and the hosts it answers to.

Errors are answered in the form the client asked for (JSON for the APIs, a page otherwise) with a
clear message and never a stack trace. A database that cannot be reached is a 503 with
Retry-After, not a 500: the person should try again shortly, and nothing was recorded.
"""
import logging
import uuid
from pathlib import Path

from flask import Flask, current_app, g, jsonify, render_template, request, send_from_directory
from flask.sessions import SecureCookieSessionInterface
from jinja2 import ChoiceLoader, FileSystemLoader
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import HTTPException, SecurityError, ServiceUnavailable

from shared import logs, metrics, page_cache
from shared.logs import correlation_id, fields
from shared.runtime import Runtime, healthy as is_healthy
from shared.timefmt import FILTERS

log = logging.getLogger(__name__)
SHARED_TEMPLATES = Path(__file__).parent / "templates"
SHARED_STATIC = Path(__file__).parent / "static"
CORRELATION_HEADER = "X-Correlation-ID"
SECURITY_HEADERS = (("X-Content-Type-Options", "nosniff"), ("X-Frame-Options", "DENY"),
                    ("Referrer-Policy", "same-origin"),
                    ("Content-Security-Policy",
                     "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'"))
OUTAGE_RETRY_AFTER = 30  # seconds: a database restart or fail-over
OUTAGE_MESSAGE = ("We cannot reach our records just now, so nothing was recorded. "
                  "Please try again in a minute or two.")


def configure(app: Flask, runtime: Runtime) -> None:
    logs.configure()
    app.extensions["runtime"] = runtime
    app.config["SECRET_KEY"] = runtime.settings.secret_key
    app.config["MAX_CONTENT_LENGTH"] = 256 * 1024
    app.config.update(SESSION_COOKIE_SECURE=runtime.settings.secure_cookies, SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax", TRUSTED_HOSTS=list(runtime.settings.trusted_hosts))
    app.session_interface = _CookieSessions()
    app.jinja_loader = ChoiceLoader([app.jinja_loader, FileSystemLoader(SHARED_TEMPLATES)])
    app.jinja_env.filters.update(FILTERS)
    app.jinja_env.globals.update(service=runtime.settings.service, links=runtime.settings.public_urls)
    app.before_request(_start_correlation)
    app.after_request(_finish_response)
    app.teardown_request(_end_correlation)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(Exception, _unexpected_error)
    app.add_url_rule("/healthz", "healthz", _healthz)
    metrics.instrument(app, runtime.settings.service, metrics.load_settings(runtime.settings.app_env))
    page_cache.install(app, page_cache.PageCache(runtime.settings.page_cache_seconds, runtime.clock))
    app.add_url_rule("/assets/<path:filename>", "shared_static",
                     lambda filename: send_from_directory(SHARED_STATIC, filename))


class _CookieSessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, with the signing serializer made once for the keys instead of
    on every request (Flask makes one to open each session and another to save it)."""

    def __init__(self):
        self._serializers = {}

    def get_signing_serializer(self, app: Flask):
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys not in self._serializers:
            self._serializers[keys] = super().get_signing_serializer(app)
        return self._serializers[keys]


def runtime_of(app: Flask) -> Runtime:
    return app.extensions["runtime"]


def _healthz():
    state = runtime_of(current_app).health()
    healthy = is_healthy(state)
    return jsonify(status="ok" if healthy else "degraded", **state), 200 if healthy else 503


def _start_correlation():
    supplied = request.headers.get(CORRELATION_HEADER, "")
    value = supplied if 0 < len(supplied) <= 64 and supplied.replace("-", "").isalnum() else None
    g.correlation_token = correlation_id.set(value or uuid.uuid4().hex)


def _end_correlation(_error=None):
    token = g.pop("correlation_token", None)
    if token is not None:
        correlation_id.reset(token)


def _finish_response(response):
    """The correlation id, and each security header the view has not set itself. (Every request
    passes here: a set of the names present is cheaper than Headers.setdefault, which raises and
    catches an exception for each header missing.)"""
    response.headers[CORRELATION_HEADER] = correlation_id.get() or ""
    present = {name.lower() for name, _ in response.headers}
    for name, value in SECURITY_HEADERS:
        if name.lower() not in present:
            response.headers.add(name, value)
    return response


def wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _http_error(error: HTTPException):
    headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]  # e.g. Allow on a 405
    if wants_json():
        body = {"code": error.code, "status": error.name, "message": error.description}
        messages = (getattr(error, "data", None) or {}).get("messages")
        if messages:
            body["errors"] = messages
        return jsonify(body), error.code, headers
    if isinstance(error, SecurityError):  # a Host not in TRUSTED_HOSTS: no link on a page can be built for it
        return "Bad Request: this site does not answer to that host name.\n", 400, {"Content-Type": "text/plain"}
    return render_template("error.html", title=error.name, message=error.description), error.code, headers


def _database_unavailable(error: OperationalError):
    log.warning("database unavailable", extra=fields(path=request.path, error=type(error.orig).__name__))
    return _http_error(ServiceUnavailable(OUTAGE_MESSAGE, retry_after=OUTAGE_RETRY_AFTER))


def _unexpected_error(error: Exception):
    log.exception("unexpected error", extra=fields(path=request.path))
    message = "Something went wrong on our side, and what you sent was not recorded. Please try again."
    if wants_json():
        return jsonify(code=500, status="Internal Server Error", message=message), 500
    return render_template("error.html", title="Sorry, there is a problem", message=message), 500
