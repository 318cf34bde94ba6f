"""An organiser's list of bookings now comes from the registrations read table with the stream's facts
the table has not reached applied on top, and the organiser check shares that one read: the same list
as rebuilt from the whole stream wherever the projector has got to, never missing a fact committed
before the read, and from the stream alone while the table is not built at this code's version."""
import pytest
from sqlalchemy import event, text

from shared.actors import Actor
from shared.projections import Projector

from registration import projections
from registration.bookings import Bookings
from registration.domain.activity import stream_id
from registration.domain.commands import CancelRegistration, ChangeAccessNeeds, CheckIn, Register

from .test_api_organisers import ADMIN, body, organiser

PEOPLE = ("Ada Lovelace", "Ben Nevis", "Cat Stevens", "Dan Dare")


@pytest.fixture
def highland(client):
    return organiser(client, "highland")


@pytest.fixture
def activity(client, highland) -> str:
    created = client.post("/api/activities", json=body(capacity=2), headers=highland)
    assert created.status_code == 201
    return created.json["activity_id"]


def register(service, activity_id: str, name: str, **fields) -> str:
    email = f"{name.lower().replace(' ', '.')}@example.org"
    return service.handle(Register(actor=Actor.person(), activity_id=activity_id, name=name, email=email,
                                   **fields)).registration_id


def a_busy_activity(service, activity_id: str) -> dict[str, str]:
    """Every kind of booking fact: confirmed, waitlisted, resubmitted, needs changed, checked in,
    cancelled by the organiser with a reason, promoted."""
    ids = {name: register(service, activity_id, name) for name in PEOPLE}
    register(service, activity_id, "Ben Nevis", access_needs="A chair near the door")  # resubmitted
    organiser_actor = Actor.token("highland staff", "organiser", "highland")
    service.handle(ChangeAccessNeeds(actor=Actor.person(), activity_id=activity_id, registration_id=ids["Ada Lovelace"],
                                     access_needs="Captions", needs=("captions",)))
    service.handle(CheckIn(actor=organiser_actor, activity_id=activity_id, registration_id=ids["Ada Lovelace"]))
    service.handle(CancelRegistration(actor=organiser_actor, activity_id=activity_id,
                                      registration_id=ids["Ben Nevis"], by="organiser", reason="Asked by phone"))
    return ids


def test_the_list_now_is_the_list_rebuilt_from_the_stream_wherever_the_projector_has_got_to(service, activity):
    a_busy_activity(service, activity)
    runtime = service.runtime
    bookings = Bookings.of(runtime)
    projector = Projector(runtime.engine, runtime.store, runtime.checkpoints, service.parts.projections, batch_size=1)
    steps = 0
    while True:
        with runtime.engine.connect() as db:
            assert bookings.now(db, activity) == bookings.at(db, activity), f"after {steps} facts projected"
        if not projector.step():
            break
        steps += 1
    projector.close()
    with runtime.engine.connect() as db:
        stream = runtime.store.stream_version(db, stream_id(activity))
        organisation_id, version, stream_version, rows = projections.booked(db, activity, bookings.version_subquery(
            stream_id(activity)))
        listing = bookings.now(db, activity)
    assert steps >= stream > 10 and organisation_id == "highland" and version == stream_version == stream
    assert [row["registration_id"] for row in rows] == list(listing.bookings)
    assert [b.status for b in listing.bookings.values()] == ["confirmed", "cancelled", "confirmed", "waitlisted"]
    ben = listing.bookings[rows[1]["registration_id"]]
    assert (ben.cancelled_by, ben.cancellation_reason, listing.bookings[rows[0]["registration_id"]].checked_in) == (
        "organiser", "Asked by phone", True)


def facts_read_during(service, request) -> int:
    """How many statements read facts of the log (their data, not only a version) while request() runs."""
    statements = []

    def seen(conn, cursor, statement, parameters, context, executemany):
        if "facts.data" in statement:
            statements.append(statement)
    event.listen(service.runtime.engine, "before_cursor_execute", seen)
    try:
        request()
    finally:
        event.remove(service.runtime.engine, "before_cursor_execute", seen)
    return len(statements)


def test_a_list_reads_only_the_facts_the_read_table_has_not_reached_and_once(client, service, activity, highland):
    ids = a_busy_activity(service, activity)
    service.runtime.projector(service.parts).catch_up()
    url = f"/api/activities/{activity}/bookings?status=confirmed"
    answers = []
    assert facts_read_during(service, lambda: answers.append(client.get(url, headers=highland))) == 0
    assert answers[-1].status_code == 200 and len(answers[-1].json) == 2
    checked_out = client.delete(f"/api/activities/{activity}/bookings/{ids['Ada Lovelace']}/check-in", headers=highland)
    assert checked_out.status_code == 200  # and the projector has not seen it
    read = facts_read_during(service, lambda: answers.append(client.get(url, headers=highland)))
    assert read == 1, "the organiser check and the list share one read of the stream's tail"
    listed = {b["registration_id"]: b for b in answers[-1].json}
    assert answers[-1].status_code == 200 and set(listed) == {ids["Ada Lovelace"], ids["Cat Stevens"]}
    assert listed[ids["Ada Lovelace"]]["checked_in"] is False
    assert listed[ids["Ada Lovelace"]]["person"]["needs"] == ["captions"]


@pytest.mark.parametrize("path", ["bookings", "bookings.csv", "access-brief"])
def test_another_organisation_finds_no_list_even_of_an_activity_the_projector_has_not_reached(client, service,
                                                                                               activity, path):
    register(service, activity, "Ada Lovelace")
    url = f"/api/activities/{activity}/{path}"
    assert client.get(url, headers=organiser(client, "lowland")).status_code == 404
    owner = client.get(url, headers=organiser(client, "highland"))
    assert owner.status_code == 200 and "Ada Lovelace" in owner.get_data(as_text=True) or path == "access-brief"
    assert client.get(url, headers=ADMIN).status_code == 200


def test_while_the_read_table_is_not_built_at_this_version_the_list_comes_from_the_stream(client, service, activity,
                                                                                         highland):
    ids = a_busy_activity(service, activity)
    service.runtime.projector(service.parts).catch_up()
    with service.runtime.engine.begin() as db:  # a release of another table shape, its projector not yet run
        db.execute(text("DROP TABLE registrations_view"))
        service.runtime.checkpoints.save_projection_state(db, "activities", version=projections.projection.version - 1)
    listed = client.get(f"/api/activities/{activity}/bookings?status=waitlisted", headers=highland)
    assert listed.status_code == 200 and [b["registration_id"] for b in listed.json] == [ids["Dan Dare"]]
