"""Registration's activities read tables, on SQLite and PostgreSQL alike: replayed from the log in
one big batch they equal the tables kept up fact by fact; their counts are the activities' own; and
an applier failing in the middle of a batch leaves nothing of that batch, naming the fact."""
import uuid
from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import event, select

from shared.actors import Actor
from shared.projections import Projection, Projector
from shared.settings import load

from registration import projections
from registration.bootstrap import bootstrap
from registration.domain.activity import Activity, stream_id
from registration.domain.commands import (CancelActivity, CancelRegistration, ChangeAccessNeeds, ChangeActivityDetails,
                                          ChangeCapacity, CheckIn, CloseRegistration, CreateOrganisation,
                                          OpenActivity, Register, RescheduleActivity, UndoCheckIn)
from tests.support.activities import TEST, open_activity_command

pytestmark = pytest.mark.real_server
NOW = datetime(2030, 11, 1, 9, tzinfo=timezone.utc)


@pytest.fixture
def service(database_url, tmp_path):
    settings = load("registration", {"VAR_DIR": str(tmp_path), "REGISTRATION_DATABASE_URL": database_url,
                                     "BROKER_NAMESPACE": f"t{uuid.uuid4().hex[:8]}"})
    built = bootstrap(settings, clock=lambda: NOW)
    yield built
    built.runtime.engine.dispose()


def projector(service, batch_size: int, *projection: Projection) -> Projector:
    runtime = service.runtime
    return Projector(runtime.engine, runtime.store, runtime.checkpoints, list(projection) or service.parts.projections,
                     batch_size=batch_size, replay_batch_size=batch_size, clock=lambda: NOW)


def snapshot(service) -> list[list[tuple]]:
    with service.runtime.engine.connect() as db:
        return [[tuple(row) for row in db.execute(select(table).order_by(*table.primary_key))]
                for table in projections.metadata.sorted_tables]


def a_week(service, each_fact=lambda: None) -> list[str]:
    """Two organisations, two activities (one drafted then opened, one cancelled), and their people
    confirmed, waitlisted, promoted, cancelled, checked in and out; each_fact runs after each command."""
    def do(command):
        outcome = service.handle(command)
        each_fact()
        return outcome

    def register(activity_id, name, carer=False):
        return do(Register(actor=Actor.person(), activity_id=activity_id, name=name, email=f"{name}@example.org",
                           with_carer=carer)).registration_id
    for organisation in ("north", "south"):
        do(CreateOrganisation(actor=TEST, organisation_id=organisation, name=f"{organisation.title()} Network"))
    starts = NOW + timedelta(days=20)
    first, second = (open_activity_command(capacity=2, starts=starts),
                      replace(open_activity_command(capacity=1, starts=starts), open_now=False))
    do(first)
    do(second)
    first = first.activity_id
    do(OpenActivity(actor=TEST, activity_id=second.activity_id))
    ada, bea, cal, dot = (register(first, "ada"), register(first, "bea", carer=True), register(first, "cal"),
                          register(second.activity_id, "dot"))
    register(second.activity_id, "eve")
    do(ChangeCapacity(actor=TEST, activity_id=first, capacity=3))  # bea and her carer are promoted
    do(CancelRegistration(actor=TEST, activity_id=first, registration_id=ada, by="organiser", reason="Double"))
    do(CheckIn(actor=TEST, activity_id=first, registration_id=bea))
    do(CheckIn(actor=TEST, activity_id=first, registration_id=cal))
    do(UndoCheckIn(actor=TEST, activity_id=first, registration_id=cal))
    do(ChangeAccessNeeds(actor=Actor.person(), activity_id=first, registration_id=cal, access_needs="Step-free"))
    details = replace(second.details, title="A renamed activity", venue="Hall 2")
    do(ChangeActivityDetails(actor=TEST, activity_id=second.activity_id, details=details))
    do(RescheduleActivity(actor=TEST, activity_id=first, starts_at=starts + timedelta(days=1),
                          ends_at=starts + timedelta(days=1, hours=3)))
    do(CloseRegistration(actor=TEST, activity_id=first))
    do(OpenActivity(actor=TEST, activity_id=first))  # reopened
    do(CancelRegistration(actor=Actor.person(), activity_id=second.activity_id, registration_id=dot, by="person"))
    do(CancelActivity(actor=TEST, activity_id=second.activity_id, reason="The hall flooded"))
    return [first, second.activity_id]


def test_replayed_in_one_batch_the_tables_equal_those_kept_up_fact_by_fact(service):
    one_by_one = projector(service, 1)
    a_week(service, each_fact=one_by_one.catch_up)
    one_by_one.close()  # hands on the lead (PostgreSQL)
    kept_up = snapshot(service)
    assert [len(rows) for rows in kept_up] == [2, 2, 5], "activities, organisations, registrations"

    written = writes(service.runtime.engine)
    replayed = projector(service, 10_000).rebuild("activities")

    with service.runtime.engine.connect() as db:
        assert replayed == service.runtime.store.last_position(db)
    assert snapshot(service) == kept_up
    assert sorted(written) == ["INSERT", "INSERT", "INSERT"], "one statement per table for the whole log"


def writes(engine) -> list[str]:
    """The statements that will change rows of the read tables (not their creation)."""
    seen, tables = [], [table.name for table in projections.metadata.sorted_tables]

    def count(connection, cursor, statement, *args):
        verb = statement.split()[0]
        if verb in ("INSERT", "UPDATE", "DELETE") and any(name in statement for name in tables):
            seen.append(verb)
    event.listen(engine, "before_cursor_execute", count)
    return seen


def test_the_counts_are_the_activities_own(service):
    activity_ids = a_week(service)
    projector(service, 500).rebuild("activities")

    repository = service.runtime.repository(Activity)
    with service.runtime.engine.connect() as db:
        for activity_id in activity_ids:
            kept = repository.get(db, stream_id(activity_id))
            row = projections.find_activity(db, activity_id)
            assert (row["confirmed"], row["waitlisted"]) == (kept.places.confirmed, len(kept.places.waiting()))
            assert row["version"] == kept.version


def test_an_applier_failing_mid_batch_leaves_nothing_of_the_batch_and_names_its_fact(service):
    first, _ = a_week(service)
    catching_up = projector(service, 1)
    catching_up.catch_up()
    catching_up.close()
    before = snapshot(service)
    for name in ("fay", "gus", "hal"):
        service.handle(Register(actor=Actor.person(), activity_id=first, name=name, email=f"{name}@example.org"))
    with service.runtime.engine.connect() as db:
        start = service.runtime.checkpoints.get(db, projections.projection.checkpoint_name)
        new = service.runtime.store.read_after(db, start, 10)
    assert len(new) == 3
    broken = Projection("activities", projections.metadata, {**projections.projection.appliers,
                                                             "RegistrationWaitlisted": _fails_on(new[1].position)},
                        projections.projection.version)

    assert projector(service, 500, broken).step() == 0

    with service.runtime.engine.connect() as db:
        assert service.runtime.checkpoints.get(db, projections.projection.checkpoint_name) == start
        failure = service.runtime.checkpoints.failing_projections(db)["activities"]
    assert (failure["position"], failure["error"]) == (new[1].position, "RuntimeError")
    assert snapshot(service) == before, "the first fact of the batch went with the rest"


def _fails_on(position: int):
    apply = projections.projection.appliers["RegistrationWaitlisted"]

    def applier(rows, fact):
        if fact.position == position:
            raise RuntimeError("a bug")
        apply(rows, fact)
    return applier
