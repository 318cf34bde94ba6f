"""Metrics in the Prometheus text format: every metric the services count is defined here, and
here is how a process shows them (`/metrics` on a web process, a small listener on a loop process).

Labels are chosen so that their values form a small, fixed set: the Flask url rule of a request,
never its path; a known method or "other"; fact, message and mail template types from the code. No
label ever holds an id, a name or an email, so `/metrics` carries no personal data.

Under gunicorn each worker is its own process: deploy/gunicorn.conf.py sets PROMETHEUS_MULTIPROC_DIR,
each worker writes its counts there, and whichever worker answers `/metrics` adds them all up.
"""
import hmac
import logging
import os
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from time import perf_counter

from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, multiprocess
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import choose_encoder, make_wsgi_app
from werkzeug.serving import WSGIRequestHandler, make_server

from shared.logs import fields
from shared.settings import SettingsError

log = logging.getLogger(__name__)

HTTP_REQUESTS = Counter("cpw_http_requests", "Requests answered, by route (the url rule) and status",
                        ["service", "method", "route", "status"])
HTTP_LATENCY = Histogram("cpw_http_request_duration_seconds", "Time to answer a request, by route",
                         ["service", "method", "route"])
LOOP_STEPS = Counter("cpw_loop_steps", "Steps a background loop has taken", ["loop", "kind"])
LOOP_WORK = Counter("cpw_loop_work", "Work a loop's steps did: facts relayed or projected, messages, mails",
                    ["loop", "kind"])
LOOP_ERRORS = Counter("cpw_loop_errors", "Loop steps that failed (the loop backs off and carries on)",
                      ["loop", "kind"])
FACTS_APPENDED = Counter("cpw_facts_appended", "Facts appended to a service's log, by fact type", ["type"])
FACTS_PROJECTED = Counter("cpw_facts_projected", "Facts a projection has read", ["projection"])
MESSAGES_PUBLISHED = Counter("cpw_messages_published", "Messages the relay published and the broker "
                             "confirmed, by message type", ["type"])
MESSAGES_HANDLED = Counter("cpw_messages_handled", "Messages handled and acked (duplicates included)",
                           ["service"])
MESSAGES_RETRIED = Counter("cpw_messages_retried", "Messages sent to a retry queue", ["service"])
MESSAGES_DEAD_LETTERED = Counter("cpw_messages_dead_lettered", "Messages sent to the dead-letter queue",
                                 ["service"])
MAILS_SENT = Counter("cpw_mails_sent", "Mails the SMTP server (or the mail directory) accepted", ["template"])
MAILS_FAILED = Counter("cpw_mails_failed", "Mail attempts that failed; permanent ones are not retried",
                       ["template", "permanent"])
SCHEDULED_DUE = Counter("cpw_scheduled_items_due", "Scheduled items that fell due and were run", ["job"])
SCHEDULED_LATE = Counter("cpw_scheduled_items_late", "Scheduled items run more than a minute after they "
                         "fell due", ["job"])
LATE_AFTER = timedelta(minutes=1)
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}  # any other counts as "other"
UNMATCHED = "(unmatched)"  # a request no url rule matched: its path is never a label
FOLLOWER_KINDS = {"relay": "relay", "projection": "projector"}  # checkpoint name prefix -> process kind


def appended(rows: list[dict]) -> None:
    for row in rows:
        FACTS_APPENDED.labels(row["type"]).inc()


def published(messages: list[dict]) -> None:
    for message in messages:
        MESSAGES_PUBLISHED.labels(message["type"]).inc()


def mail_failed(template: str, permanent: bool) -> None:
    MAILS_FAILED.labels(template, str(permanent).lower()).inc()


def scheduled(job: str, due_at: datetime, now: datetime) -> None:
    """Count a scheduled item being run; late when it runs more than LATE_AFTER after it fell due."""
    SCHEDULED_DUE.labels(job).inc()
    if now - due_at > LATE_AFTER:
        SCHEDULED_LATE.labels(job).inc()


@dataclass(frozen=True)
class MetricsSettings:
    """METRICS_TOKEN, METRICS_PORT and METRICS_HOST (see the README). They belong to a process, not
    to a service: each loop process of a machine needs a port of its own."""
    token: str = ""
    port: int | None = None
    host: str = "127.0.0.1"
    production: bool = False

    def allows(self, authorization: str) -> bool:
        supplied = authorization.removeprefix("Bearer ").strip()
        return not self.token or hmac.compare_digest(supplied.encode(), self.token.encode())

    @property
    def on_web_port(self) -> bool:
        """The web port is public: in production it shows metrics only to a holder of the token."""
        return bool(self.token) or not self.production


def load_settings(app_env: str, environ=None) -> MetricsSettings:
    env = os.environ if environ is None else environ
    token, port = env.get("METRICS_TOKEN", ""), env.get("METRICS_PORT", "")
    if port and not (port.isdigit() and 0 < int(port) < 65536):
        raise SettingsError(f"METRICS_PORT must be a port number, not {port!r}")
    if token and app_env == "production" and len(token) < 32:
        raise SettingsError("METRICS_TOKEN must be at least 32 characters in production")
    return MetricsSettings(token=token, port=int(port) if port else None,
                           host=env.get("METRICS_HOST") or "127.0.0.1", production=app_env == "production")


def numbered_port(offset: int, environ=None) -> dict | None:
    """The environment of the offset-th loop process on one machine: METRICS_PORT moved up by the
    offset, so that processes sharing a machine do not collide (None: nothing to change)."""
    env = dict(os.environ if environ is None else environ)
    if not env.get("METRICS_PORT", "").isdigit():
        return None
    return {**env, "METRICS_PORT": str(int(env["METRICS_PORT"]) + offset)}


# --- web processes ------------------------------------------------------------------------------

def instrument(app: Flask, service: str, settings: MetricsSettings) -> None:
    """Count and time every request, and answer GET /metrics. The timer starts before any other
    before-request check (CSRF among them), so a refused request is timed too."""
    app.extensions["metrics"] = (service, settings)
    app.before_request_funcs.setdefault(None, []).insert(0, _start_timer)
    app.after_request(_count_request)
    app.add_url_rule("/metrics", "metrics", _metrics_page)


def _start_timer():
    g.metrics_started = perf_counter()


def _count_request(response):
    service, _ = current_app.extensions["metrics"]
    route = request.url_rule.rule if request.url_rule else UNMATCHED
    method = request.method if request.method in METHODS else "other"
    HTTP_REQUESTS.labels(service, method, route, str(response.status_code)).inc()
    started = g.pop("metrics_started", None)
    if started is not None:
        HTTP_LATENCY.labels(service, method, route).observe(perf_counter() - started)
    return response


def _metrics_page():
    _, settings = current_app.extensions["metrics"]
    if not settings.on_web_port:
        abort(404)
    if not settings.allows(request.headers.get("Authorization", "")):
        abort(401, "Send the metrics token as 'Authorization: Bearer <token>'.")
    encoder, content_type = choose_encoder(request.headers.get("Accept"))
    return Response(encoder(scraped()), headers={"Content-Type": content_type})


def scraped() -> CollectorRegistry:
    """This process's metrics; under gunicorn, every worker's, added up."""
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        return REGISTRY
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return registry


# --- loop processes -----------------------------------------------------------------------------

class LagCollector:
    """How many facts each follower of the log run by this process still has to read, computed at
    scrape time from the checkpoints (the numbers /healthz shows), so a standby reports it too."""

    def __init__(self, runtime, kinds: set[str]):
        self.runtime, self.kinds = runtime, kinds

    def describe(self):
        return [self._family()]

    def collect(self):
        family = self._family()
        try:
            lag = self.runtime.lag()
        except Exception as error:  # the database is away: the scrape still answers, without lag
            log.warning("lag not measured: %s", type(error).__name__)
            lag = {}
        for follower, behind in sorted(lag.items()):
            if FOLLOWER_KINDS.get(follower.split(":")[0]) in self.kinds:
                family.add_metric([self.runtime.settings.service, follower], behind)
        return [family]

    @staticmethod
    def _family() -> GaugeMetricFamily:
        return GaugeMetricFamily("cpw_follower_lag_facts", "Facts a follower of the log (relay, "
                                 "projection:<name>) still has to read", labels=["service", "follower"])


def listen(settings: MetricsSettings, runtime, loops) -> None:
    """Serve this loop process's metrics on METRICS_HOST:METRICS_PORT (nothing when the port is
    unset), on a thread that ends with the process."""
    if settings.port is None:
        return
    REGISTRY.register(LagCollector(runtime, {loop.kind for loop in loops}))
    try:
        server = make_server(settings.host, settings.port, _guarded(make_wsgi_app(REGISTRY), settings),
                             threaded=True, request_handler=_QuietHandler)
    except OSError as error:
        raise SystemExit(f"METRICS_PORT {settings.port} on {settings.host} cannot be used: {error.strerror}")
    threading.Thread(target=server.serve_forever, name="metrics", daemon=True).start()
    log.info("metrics listener started", extra=fields(port=settings.port))


def _guarded(app, settings: MetricsSettings):
    def guarded(environ, start_response):
        if settings.allows(environ.get("HTTP_AUTHORIZATION", "")):
            return app(environ, start_response)
        start_response("401 Unauthorized", [("Content-Type", "text/plain"), ("WWW-Authenticate", "Bearer")])
        return [b"Send the metrics token as 'Authorization: Bearer <token>'.\n"]
    return guarded


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):  # a scrape every few seconds is not worth a log line
        pass
