"""An activity loaded from its snapshot is the activity its whole stream rebuilds."""
from shared.actors import Actor
from shared.aggregate import Repository

from registration.domain.activity import Activity, stream_id
from registration.domain.commands import Register
from registration.domain.facts import RegistrationConfirmed

PERSON = Actor.person()


def test_loading_from_a_snapshot_gives_the_same_activity_as_replaying_the_stream(service, open_activity):
    for number in range(Activity.snapshot_every * 2 + 7):  # two snapshots, then a few facts more
        service.handle(Register(actor=PERSON, activity_id=open_activity, name="Name", email=f"person-{number}@example.org"))
    runtime = service.runtime
    with runtime.engine.connect() as db:
        from_snapshot = runtime.repository(Activity).get(db, stream_id(open_activity))
        replayed = Repository(runtime.engine, runtime.store, Activity).get(db, stream_id(open_activity))
        snapshot = runtime.snapshots.load(db, stream_id(open_activity), Activity.snapshot_key())
    assert snapshot is not None and snapshot.version < replayed.version
    assert from_snapshot.version == replayed.version
    assert from_snapshot.snapshot() == replayed.snapshot()
    assert (from_snapshot.places.confirmed, len(from_snapshot.places.active())) == (1, Activity.snapshot_every * 2 + 7)


def test_a_snapshot_of_another_schema_is_ignored(service, open_activity):
    for number in range(Activity.snapshot_every + 1):
        service.handle(Register(actor=PERSON, activity_id=open_activity, name="Name", email=f"person-{number}@example.org"))
    runtime = service.runtime
    with runtime.engine.connect() as db:
        assert runtime.snapshots.load(db, stream_id(open_activity), Activity.snapshot_key() + 1) is None


def test_a_snapshot_that_no_longer_fits_is_passed_over_for_the_stream(service, open_activity):
    for number in range(Activity.snapshot_every + 3):
        service.handle(Register(actor=PERSON, activity_id=open_activity, name="Name", email=f"person-{number}@example.org"))
    runtime = service.runtime
    with runtime.engine.begin() as db:
        runtime.snapshots.save(db, stream_id(open_activity), Activity.snapshot_every, Activity.snapshot_key(),
                               {"details": {"renamed_field": 1}, "status": "open"})  # as after a change
    with runtime.engine.connect() as db:
        loaded = runtime.repository(Activity).get(db, stream_id(open_activity))
    assert len(loaded.places.active()) == Activity.snapshot_every + 3 and loaded.places.confirmed == 1


def test_a_snapshot_taken_under_other_fact_versions_is_not_used(monkeypatch):
    """A fact's new version changes how the stream rebuilds: snapshots from before are passed over."""
    before = Activity.snapshot_key()
    monkeypatch.setattr(RegistrationConfirmed, "schema_version", RegistrationConfirmed.schema_version + 1)
    assert Activity.snapshot_key() != before
