"""However many relays or projectors run, one leads; when it goes, another takes over."""
import pytest

from shared.database import make_engine
from shared.leadership import Leadership

pytestmark = pytest.mark.real_server


def test_one_instance_leads_and_another_takes_over_when_it_goes(postgres_url):
    first_engine, second_engine = make_engine(postgres_url), make_engine(postgres_url)
    first, second = Leadership(first_engine, "relay"), Leadership(second_engine, "relay")
    other_follower = Leadership(second_engine, "projector")
    try:
        assert first.held() and first.held(), "the leader keeps the lead"
        assert not second.held(), "a second relay stands by"
        assert other_follower.held(), "another follower has a lead of its own"
        first.release()
        assert second.held(), "the stand-by takes over once the leader has gone"
        assert not first.held()
    finally:
        for leadership in (first, second, other_follower):
            leadership.release()
        first_engine.dispose()
        second_engine.dispose()


def test_on_sqlite_every_instance_leads(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'db.sqlite'}")
    assert Leadership(engine, "relay").held() and Leadership(engine, "relay").held()
