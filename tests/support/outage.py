"""A real PostgreSQL outage for one test database: new connections refused, live ones ended."""
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url


class DatabaseOutage:
    def __init__(self, server_url: str, database_url: str):
        self.admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
        self.name = make_url(database_url).database

    def __enter__(self):
        with self.admin.connect() as db:
            db.execute(text(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false'))
            db.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :name"),
                       {"name": self.name})
        return self

    def __exit__(self, *_):
        with self.admin.connect() as db:
            db.execute(text(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true'))
        self.admin.dispose()
