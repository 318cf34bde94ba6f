"""Read tables are derived: dropped and rebuilt from the log, they come back the same."""
from sqlalchemy import select

from registration import projections


def snapshot(service):
    with service.runtime.engine.connect() as db:
        return ([tuple(row) for row in db.execute(select(projections.activities).order_by("activity_id"))],
                [tuple(row) for row in db.execute(select(projections.registrations).order_by("registration_id"))])


def test_rebuilding_the_activities_projection_gives_the_same_tables(service, post_form, open_activity):
    for person in ("a", "b", "c"):
        post_form(open_activity, email=f"{person}@example.org")
    projector = service.runtime.projector(service.parts)
    projector.catch_up()
    before = snapshot(service)
    confirmed, waitlisted = (projections.activities.c.keys().index(name) for name in ("confirmed", "waitlisted"))
    assert (before[0][0][confirmed], before[0][0][waitlisted]) == (1, 2), "one confirmed and two waiting before"
    replayed = projector.rebuild("activities")
    assert replayed >= 4 and snapshot(service) == before
