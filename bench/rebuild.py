"""rebuild: registration's activities read table rebuilt from its log (facts of activities and
registrations, replayed in batches of 5,000: one here), against the eventsourcing library reading a
notification log of as many events with the same contents, in pages of 500."""
import json
import tempfile

from sqlalchemy import select

from shared.settings import load

from registration.bootstrap import bootstrap

from bench.common import COUNT, Compared, Database, timed
from bench.library import library_recorder, read_all, save_in_pages
from bench.register import new_activity, register

ACTIVITIES, REGISTRATIONS_EACH = 10, max(COUNT // 10, 5)


def measure() -> list:
    with Database() as db:
        service = bootstrap(load("registration", {"VAR_DIR": tempfile.mkdtemp(), "REGISTRATION_DATABASE_URL": db.url}))
        try:
            for n in range(ACTIVITIES):
                register(service, new_activity(service), REGISTRATIONS_EACH, f"rebuild{n}-")()
            states = _log_contents(service)
            projector = service.runtime.projector(service.parts)
            ours = timed(lambda: projector.rebuild("activities"))
        finally:
            service.runtime.engine.dispose()
    with Database() as db, library_recorder(db) as recorder:
        save_in_pages(recorder, states)
        baseline = timed(lambda: read_all(recorder))
    facts = len(states)
    return [Compared("rebuild", "facts/s", facts / ours, facts / baseline, "eventsourcing notification log",
                     goal=0.5, extra={"facts": facts})]


def _log_contents(service) -> list[dict]:
    table = service.runtime.store.table
    with service.runtime.engine.connect() as db:
        return [json.loads(data) for data in db.execute(select(table.c.data).order_by(table.c.position)).scalars()]
