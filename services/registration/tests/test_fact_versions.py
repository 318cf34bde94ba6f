"""Facts written under an older schema are read as the current one; new facts store their version,
so they are never upcast twice."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from shared.actors import Actor
from shared.eventstore import NewFact
from shared.facts import check_upcasters

from registration.domain.activity import Activity, stream_id
from registration.domain.commands import Register
from registration.domain.facts import FACTS, UPCASTERS, RegistrationConfirmed
from registration.projections import find_activity

NOW = datetime(2030, 11, 1, 9, tzinfo=timezone.utc)  # the service fixture's clock
STARTS = NOW + timedelta(days=10)


def version_1_facts(activity_id: str, person_id: str, sealed: str) -> list[NewFact]:
    """As the walking skeleton wrote them: details beside the id, a copy in each registration."""
    details = {"organiser": "Org", "title": "Old shape", "summary": "", "starts_at": STARTS.isoformat(),
               "ends_at": (STARTS + timedelta(hours=1)).isoformat(), "attendance": "online", "venue": "",
               "region": "Online"}
    return [NewFact("ActivityDrafted", {"activity_id": activity_id, "capacity": 2, **details}, 1),
            NewFact("ActivityOpened", {"activity_id": activity_id}, 1),
            NewFact("RegistrationConfirmed", {"registration_id": str(uuid.uuid4()), "activity_id": activity_id,
                                              "person_id": person_id, "personal": sealed,
                                              "activity": {"title": "Old shape"}}, 1)]


@pytest.fixture
def old_activity(service):
    runtime, activity_id = service.runtime, str(uuid.uuid4())
    with runtime.engine.begin() as db:
        person_id = runtime.vault.person_for_email(db, "early@example.org")
        sealed = runtime.vault.seal(db, person_id, {"name": "Early", "email": "early@example.org",
                                                    "organisation": "", "access_needs": ""})
        runtime.store.append(db, stream_id(activity_id), 0, version_1_facts(activity_id, person_id, sealed))
    return activity_id


def test_version_1_and_version_2_facts_read_back_as_the_current_shape(service, old_activity):
    service.handle(Register(actor=Actor.person(), activity_id=old_activity, name="Later", email="later@example.org"))
    runtime = service.runtime
    with runtime.engine.connect() as db:
        stored = db.execute(select(runtime.store.table.c.type, runtime.store.table.c.schema_version)
                            .where(runtime.store.table.c.stream_id == stream_id(old_activity))
                            .order_by(runtime.store.table.c.version)).all()
        activity = runtime.repository(Activity).get(db, stream_id(old_activity))
        registrations = [fact.data for fact in runtime.store.read_stream(db, stream_id(old_activity))
                         if fact.type == "RegistrationConfirmed"]
    current = RegistrationConfirmed.schema_version
    assert current > 1 and [tuple(row) for row in stored] == [
        ("ActivityDrafted", 1), ("ActivityOpened", 1), ("RegistrationConfirmed", 1), ("RegistrationConfirmed", current)]
    assert activity.details.title == "Old shape" and activity.details.starts_at == STARTS
    assert activity.places.confirmed == 2 and activity.capacity == 2 and activity.drafted.organisation_id == ""
    assert registrations[0] == {**registrations[1], "registration_id": registrations[0]["registration_id"],
                                "person_id": registrations[0]["person_id"], "personal": registrations[0]["personal"]}
    assert "activity" not in registrations[0] and registrations[0]["places"] == 1


def test_the_read_tables_and_the_messages_come_out_the_same_from_either_version(service, old_activity):
    service.runtime.projector(service.parts).catch_up()
    runtime = service.runtime
    with runtime.engine.connect() as db:
        messages = [message for fact in runtime.store.read_stream(db, stream_id(old_activity))
                    for message in service.parts.translate(db, fact)]
    opened, confirmed = messages
    assert opened["payload"]["title"] == "Old shape" and opened["payload"]["capacity"] == 2
    assert confirmed["payload"]["email"] == "early@example.org" and "activity" not in confirmed["payload"]


def test_every_older_fact_version_has_its_upcaster():
    check_upcasters(FACTS, UPCASTERS)
    with pytest.raises(TypeError, match="ActivityDrafted is at version 4 but has no upcaster from version 1, 2, 3"):
        check_upcasters(FACTS, {})


def test_details_written_before_themes_areas_and_provisions_read_back_with_none_and_the_area_their_region_names(
        service):
    """ActivityDrafted 3 and ActivityDetailsChanged 1 knew no themes, area or provisions."""
    runtime, activity_id = service.runtime, str(uuid.uuid4())
    details = {"organiser": "Org", "title": "Before themes", "summary": "", "starts_at": STARTS.isoformat(),
               "ends_at": (STARTS + timedelta(hours=1)).isoformat(), "attendance": "in_person", "venue": "Hall",
               "region": "Glasgow"}
    with runtime.engine.begin() as db:
        runtime.store.append(db, stream_id(activity_id), 0, [
            NewFact("ActivityDrafted", {"activity_id": activity_id, "organisation_id": "", "capacity": 2,
                                        "details": details}, 3),
            NewFact("ActivityOpened", {"activity_id": activity_id}, 1),
            NewFact("ActivityDetailsChanged", {"activity_id": activity_id, "changed": ["region"],
                                               "details": {**details, "region": "Somewhere in Fife"}}, 1)])
    with runtime.engine.connect() as db:
        drafted, _opened, changed = runtime.store.read_stream(db, stream_id(activity_id))
        activity = runtime.repository(Activity).get(db, stream_id(activity_id))
    assert {key: drafted.data["details"][key] for key in ("themes", "area", "access_provisions")} == {
        "themes": [], "area": "glasgow_city", "access_provisions": []}
    assert changed.data["details"]["area"] == "", "a region that names no council area gives none"
    assert activity.details.themes == () and activity.details.area == ""
    runtime.projector(service.parts).catch_up()
    with runtime.engine.connect() as db:
        row = find_activity(db, activity_id)
    assert (row["themes"], row["area"], row["access_provisions"]) == ([], "", [])
