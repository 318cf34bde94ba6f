"""Engines for a service's own database: SQLite in the embedded mode, PostgreSQL otherwise.

SQLite transactions begin IMMEDIATE, so a read-then-append unit of work takes the write lock
at its start instead of failing on a lock upgrade. A PostgreSQL connection is pinged before use only
when it has been idle for a while: under load, connections go back and forth in milliseconds and a
ping on every checkout would be one more round trip per transaction; after an idle spell (a
restarted database, a dropped connection) the ping finds the dead connection and the pool makes a
new one. A connection that dies while in use fails that one request or loop step (a 503, a retried
message) and the pool replaces every connection made before it.
A SQLite database holds people's sealed data and their keys: its directory and files are the
owner's alone.
"""
import os
import time
from pathlib import Path

from sqlalchemy import Connection, Engine, MetaData, Table, create_engine, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError

SCHEMA_LOCK = 7_201_001  # advisory lock key: one process at a time creates tables
PING_AFTER_IDLE = 1.0  # seconds a pooled connection may rest before it is pinged at checkout


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
    engine = create_engine(parsed, pool_size=5, max_overflow=10, connect_args=keepalives)
    _ping_connections_left_idle(engine)
    return engine


def _ping_connections_left_idle(engine: Engine) -> None:
    @event.listens_for(engine.pool, "checkin")
    def _resting(_dbapi_connection, record):
        if record is not None:
            record.info["idle_since"] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def _ping_if_rested(dbapi_connection, record, _proxy):
        if time.monotonic() - record.info.get("idle_since", time.monotonic()) < PING_AFTER_IDLE:
            return
        try:
            with dbapi_connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except engine.dialect.loaded_dbapi.Error as error:  # the server or the network dropped it while it rested
            raise DisconnectionError("a pooled connection died while idle") from error


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
