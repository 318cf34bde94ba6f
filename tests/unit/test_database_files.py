"""The embedded mode's SQLite files hold sealed personal data and the keys to it: owner only."""
import stat

from sqlalchemy import text

from shared.database import make_engine


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_directory_and_files_are_the_owners_alone(tmp_path):
    var_dir = tmp_path / "var"
    engine = make_engine(f"sqlite:///{var_dir / 'registration.db'}")
    try:
        with engine.begin() as db:
            db.execute(text("CREATE TABLE t (x)"))
            db.execute(text("INSERT INTO t VALUES (1)"))
        files = sorted(var_dir.iterdir())
        assert [path.name for path in files] == ["registration.db", "registration.db-shm", "registration.db-wal"]
        assert mode(var_dir) == 0o700
        for path in files:
            assert mode(path) == 0o600, f"{path.name} is {oct(mode(path))}"
    finally:
        engine.dispose()
