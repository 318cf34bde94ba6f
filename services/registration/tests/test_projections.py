"""Read tables are derived: dropped and rebuilt from the log, they come back the same; and a bug in
one projection stops only that one, shown by name in /healthz and `status` until a fix resumes it."""
import json

from sqlalchemy import Column, Integer, MetaData, String, Table, select

from shared.actors import Actor
from shared.cli import main
from shared.projections import Projection

from registration import projections
from registration.domain.activity import Activity, stream_id
from registration.domain.commands import CancelRegistration, ChangeCapacity, Register


def counts(rows) -> tuple[int, int]:
    """(confirmed, waitlisted) of the first activity row."""
    columns = projections.activities.c.keys()
    return rows[0][0][columns.index("confirmed")], rows[0][0][columns.index("waitlisted")]


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
    assert counts(before) == (1, 2), "one confirmed and two waiting before"
    replayed = projector.rebuild("activities")
    assert replayed >= 4 and snapshot(service) == before


ledger_metadata = MetaData()
ledger = Table("ledger_view", ledger_metadata, Column("position", Integer), Column("type", String(100)))


def _written(rows, fact):
    rows.insert(ledger, position=fact.position, type=fact.type)


def _bug(rows, fact):
    raise KeyError("waitlisted")


LEDGER = Projection("ledger", ledger_metadata,
                    {kind: _written for kind in ("RegistrationConfirmed", "RegistrationWaitlisted")})
BROKEN = Projection("activities", projections.metadata,
                    {**projections.projection.appliers, "RegistrationWaitlisted": _bug}, projections.projection.version)


def test_a_failing_projection_is_shown_by_name_while_the_others_go_on_until_a_fix_resumes_it(
        service, client, post_form, open_activity, capsys):
    service.parts.projections[:] = [BROKEN, LEDGER]  # a release with a bug in the activities table
    for person in ("a", "b", "c"):
        post_form(open_activity, email=f"{person}@example.org")
    service.runtime.projector(service.parts).catch_up()
    with service.runtime.engine.connect() as db:
        assert len(db.execute(select(ledger)).all()) == 3, "the other projection went on"

    health = client.get("/healthz")
    failure = health.json["failing_projections"]["activities"]
    assert (health.status_code, health.json["status"]) == (503, "degraded")
    assert (failure["error"], failure["attempts"]) == ("KeyError", 1)
    assert failure["position"] > 0 and "example.org" not in health.get_data(as_text=True)
    assert main(lambda: service, argv=["status"]) == 1
    assert json.loads(capsys.readouterr().out)["failing_projections"] == health.json["failing_projections"]

    service.parts.projections[:] = [projections.projection, LEDGER]  # the fix ships
    service.runtime.projector(service.parts).catch_up()
    assert client.get("/healthz").status_code == 200
    resumed = snapshot(service)
    assert counts(resumed) == (1, 2), "one confirmed and two waitlisted, each counted once"
    service.runtime.projector(service.parts).rebuild("activities")
    assert snapshot(service) == resumed


def test_the_counts_follow_carers_cancellations_promotions_and_capacity_as_the_activity_keeps_them(
        service, open_activity):
    """The read table moves its counts by what each fact changes; after every step they are the
    activity's own (capacity 1 to start with)."""
    organiser, ids = Actor.system("test"), {}
    activity, projector = service.runtime.repository(Activity), service.runtime.projector(service.parts)

    def register(name, carer=False):
        ids[name] = service.handle(Register(actor=Actor.person(), activity_id=open_activity, name=name,
                                            email=f"{name}@example.org", with_carer=carer)).registration_id

    def cancel(name):
        service.handle(CancelRegistration(actor=organiser, activity_id=open_activity,
                                          registration_id=ids[name], by="organiser"))
    steps = [lambda: register("ada"), lambda: register("bea", carer=True), lambda: register("cal"),
             lambda: service.handle(ChangeCapacity(actor=organiser, activity_id=open_activity, capacity=4)),
             lambda: cancel("ada"), lambda: cancel("cal"), lambda: register("dot", carer=True),
             lambda: register("eve"), lambda: cancel("bea")]
    for number, step in enumerate(steps):
        step()
        projector.catch_up()
        with service.runtime.engine.connect() as db:
            kept = activity.get(db, stream_id(open_activity))
        assert counts(snapshot(service)) == (kept.places.confirmed, len(kept.places.waiting())), f"after step {number}"
