"""However many relays or projectors run, one leads; when it goes, another takes over."""
import pytest
from sqlalchemy import event, text

from shared.database import make_engine
from shared.leadership import LEADERSHIP_CLASS, Leadership

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


def test_the_leader_pings_its_session_at_most_once_a_check_and_finds_it_ended_at_the_next(postgres_url):
    engine, admin = make_engine(postgres_url), make_engine(postgres_url)
    pings = []
    event.listen(engine, "before_cursor_execute",
                 lambda _c, _cursor, statement, *_rest: statement == "SELECT 1" and pings.append(1))
    steady, checking = Leadership(engine, "relay", check_every=3600), Leadership(engine, "projector", check_every=0)
    try:
        assert steady.held() and steady.held() and steady.held()
        assert pings == [], "within its check interval the leader trusts its session"
        assert checking.held() and checking.held()
        assert pings == [1], "once the interval is up, the session is pinged"
        pid = _leading_session(admin, checking)
        with admin.begin() as db:
            db.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        assert checking.held(), "its session ended: it finds out, and takes the lead again on a new one"
        assert _leading_session(admin, checking) not in (None, pid)
    finally:
        for leadership in (steady, checking):
            leadership.release()
        engine.dispose()
        admin.dispose()


def _leading_session(admin, leadership: Leadership) -> int | None:
    with admin.connect() as db:
        return db.execute(text("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND classid = :c AND objid = :k"),
                          {"c": LEADERSHIP_CLASS, "k": leadership.key}).scalar()
