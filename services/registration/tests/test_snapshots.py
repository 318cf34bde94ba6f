"""An activity loaded from its snapshot, or from the copy its repository keeps in memory, is the
activity its whole stream rebuilds."""
from datetime import timedelta

import pytest

from shared.actors import Actor
from shared.aggregate import Repository, kept_once_committed
from shared.errors import DomainError

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


def register_through(repository, activity_id: str, number: int) -> None:
    repository.execute(stream_id(activity_id), _registering(number), PERSON)


def _registering(number: int):
    def decide(activity: Activity, _db) -> None:
        activity.register(f"00000000-0000-4000-8000-{number:012d}", f"person-{number}", "sealed",
                          activity.details.starts_at - timedelta(days=1))
    return decide


def test_an_activity_kept_in_memory_catches_up_with_what_another_process_appended(service, open_activity):
    runtime = service.runtime
    this_process, other_process = runtime.repository(Activity), runtime.repository(Activity)
    register_through(this_process, open_activity, 1)
    for number in range(2, 5):
        register_through(other_process, open_activity, number)
    register_through(this_process, open_activity, 5)
    kept = this_process.recent.take(stream_id(open_activity))
    with runtime.engine.connect() as db:
        replayed = Repository(runtime.engine, runtime.store, Activity).get(db, stream_id(open_activity))
    assert kept is not None and kept.version == replayed.version
    assert kept.snapshot() == replayed.snapshot() and len(kept.places.active()) == 5


def test_a_decision_that_fails_leaves_nothing_of_itself_in_memory(service, open_activity):
    repository = service.runtime.repository(Activity)
    register_through(repository, open_activity, 1)

    def records_then_refuses(activity: Activity, _db) -> None:
        activity.register("00000000-0000-4000-8000-000000000099", "person-99", "sealed",
                          activity.details.starts_at - timedelta(days=1))
        raise DomainError("refused after recording")
    with pytest.raises(DomainError):
        repository.execute(stream_id(open_activity), records_then_refuses, PERSON)
    register_through(repository, open_activity, 2)
    kept = repository.recent.take(stream_id(open_activity))
    assert [place.person_id for place in kept.places.active()] == ["person-1", "person-2"]


def _persons(repository, activity_id: str) -> list[str]:
    kept = repository.recent.take(stream_id(activity_id))
    return None if kept is None else [place.person_id for place in kept.places.active()]


def test_an_aggregate_saved_in_a_callers_transaction_is_kept_once_its_owner_has_committed(service, open_activity):
    repository, engine = service.runtime.repository(Activity), service.runtime.engine
    with kept_once_committed() as kept, engine.begin() as db:
        repository.execute(stream_id(open_activity), _registering(1), PERSON, db=db)
        assert _persons(repository, open_activity) is None, "nothing is kept before the commit"
    kept.committed()
    assert _persons(repository, open_activity) == ["person-1"]


def test_a_callers_transaction_that_rolls_back_keeps_nothing_of_itself_in_memory(service, open_activity):
    repository, engine = service.runtime.repository(Activity), service.runtime.engine
    register_through(repository, open_activity, 1)
    with pytest.raises(RuntimeError):
        with kept_once_committed() as kept, engine.begin() as db:
            repository.execute(stream_id(open_activity), _registering(2), PERSON, db=db)
            raise RuntimeError("a later handler in the same transaction failed")
        kept.committed()  # never reached: the transaction rolled back
    with kept_once_committed() as kept, engine.begin() as db:
        repository.execute(stream_id(open_activity), _registering(3), PERSON, db=db)
    kept.committed()
    assert _persons(repository, open_activity) == ["person-1", "person-3"]
