"""The two web sites the HTTP measurements compare: registration's app on a database of its own,
with open activities already in its read table, and the bare Flask app of the baselines."""
import tempfile
from contextlib import contextmanager

from shared.settings import load

from registration.bootstrap import bootstrap

from bench.bare_app import seed_rows
from bench.common import UNLIMITED, Database
from bench.register import new_activity
from bench.servers import gunicorn


@contextmanager
def registration_site(activities: int, prepare=None, settings: dict | None = None):
    """Yields (base URL, activity ids); prepare(service, ids), if given, runs first (registrations, say);
    settings are more variables for the service (PAGE_CACHE_SECONDS, say)."""
    with Database() as db:
        env = {"VAR_DIR": tempfile.mkdtemp(), "REGISTRATION_DATABASE_URL": db.url, **UNLIMITED, **(settings or {})}
        service = bootstrap(load("registration", env))
        try:
            ids = [new_activity(service) for _ in range(activities)]
            if prepare is not None:
                prepare(service, ids)
            projector = service.runtime.projector(service.parts)
            projector.catch_up()  # the pages read the read table, which the worker would fill
            projector.close()
        finally:
            service.runtime.engine.dispose()
        with gunicorn("registration.app:create_app()", env) as url:
            yield url, ids


@contextmanager
def bare_site(rows: int = 0):
    """The bare app, its table holding `rows` rows for its GET /rows."""
    with Database() as db:
        seed_rows(db.url, rows)
        with gunicorn("bench.bare_app:create_app()", {"BENCH_BARE_DATABASE_URL": db.url}, ready_path="/page") as url:
            yield url
