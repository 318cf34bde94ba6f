"""Engines for a service's own database: SQLite in the embedded mode, PostgreSQL otherwise.

SQLite transactions begin IMMEDIATE, so a read-then-append unit of work takes the write lock
at its start instead of failing on a lock upgrade; PostgreSQL connections are pinged before use.
A SQLite database holds people's sealed data and their keys: its directory and files are the
owner's alone.
"""
import os
from pathlib import Path

from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url

SCHEMA_LOCK = 7_201_001  # advisory lock key: one process at a time creates tables


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(parsed)
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    # Keepalives on both ends notice a silently dead peer in about a minute, not two hours: the
    # client's (keepalives_*) for a dead server, the server's (tcp_keepalives_*, set per session)
    # for a dead client, so that a dead leader's advisory lock is freed and its standby takes over.
    keepalives = {"connect_timeout": 10, "keepalives": 1, "keepalives_idle": 30,
                  "keepalives_interval": 10, "keepalives_count": 3,
                  "options": "-c tcp_keepalives_idle=30 -c tcp_keepalives_interval=10 -c tcp_keepalives_count=3"}
    return create_engine(parsed, pool_pre_ping=True, pool_size=5, max_overflow=10, connect_args=keepalives)


def _sqlite_engine(url) -> Engine:
    if url.database and url.database != ":memory:":
        _create_private(Path(url.database))
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None  # let SQLAlchemy's begin event issue BEGIN
        dbapi_connection.execute("PRAGMA journal_mode=WAL")
        dbapi_connection.execute("PRAGMA busy_timeout=30000")

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _create_private(database: Path) -> None:
    """Create the directory (0700) and the database file (0600) for the owner only, before SQLite
    opens it: SQLite gives the -wal and -shm files the database file's permissions."""
    if not database.parent.exists():
        database.parent.mkdir(parents=True, mode=0o700)
    if not database.exists():
        os.close(os.open(database, os.O_CREAT | os.O_WRONLY, 0o600))


def is_postgres(bind: Engine | Connection) -> bool:
    return bind.dialect.name == "postgresql"


def upsert(bind: Engine | Connection, table: Table):
    """An INSERT that can say ON CONFLICT ... (and RETURNING), in the dialect of this database:
    one round trip where a select-then-insert takes two and races."""
    return (postgresql.insert if is_postgres(bind) else sqlite.insert)(table)


def create_tables(engine: Engine, metadata: MetaData) -> None:
    """Create what is missing; safe when several processes start at once."""
    with engine.begin() as connection:
        if is_postgres(connection):
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
        metadata.create_all(connection, checkfirst=True)
