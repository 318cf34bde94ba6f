"""Rate limits that every gunicorn worker and every instance of a service shares.

A limit kept in one process's memory is not a limit: each worker would allow its own quota. The
counters live in the service's own database, which all of them already share: a fixed-window
counter per key, incremented with one atomic upsert (INSERT ... ON CONFLICT DO UPDATE ... RETURNING,
the same statement on SQLite and PostgreSQL), so two workers can never both read the old count.

Keys are keyed hashes (HMAC-SHA256 with the service's secret key): the table holds neither a
client's address nor an email address, and cannot be turned back into one.
"""
import hashlib
import hmac
import ipaddress
from datetime import datetime
from typing import Callable

from sqlalchemy import BigInteger, Column, Connection, Engine, Integer, MetaData, String, Table, delete

from shared.database import create_tables, upsert
from shared.settings import Limit


class RateLimits:
    SWEEP_EVERY = 60  # seconds between sweeps of ended windows, per process

    def __init__(self, engine: Engine, secret_key: str, clock: Callable[[], datetime]):
        self.engine, self.clock = engine, clock
        self._key = hashlib.sha256(b"rate-limits:" + secret_key.encode()).digest()
        self._next_sweep = 0
        self.metadata = MetaData()
        self.table = Table("rate_limit_windows", self.metadata,
                           Column("key", String(64), primary_key=True),
                           Column("window_start", BigInteger, primary_key=True),
                           Column("hits", Integer, nullable=False),
                           Column("expires_at", BigInteger, nullable=False, index=True))

    def create_tables(self) -> None:
        create_tables(self.engine, self.metadata)

    def hit(self, db: Connection, kind: str, subject: str, limit: Limit) -> int | None:
        """Count one request of `subject`, in the caller's transaction (a request's counts and its
        reads share one commit): None while within the limit, otherwise the seconds until its
        window ends (for Retry-After)."""
        now = int(self.clock().timestamp())
        start = now - now % limit.seconds
        key = hmac.new(self._key, f"{kind}:{subject}".encode(), hashlib.sha256).hexdigest()
        hits = self._count(db, key, start, start + limit.seconds)
        if now >= self._next_sweep:  # now and then, forget the windows that have ended
            self._next_sweep = now + self.SWEEP_EVERY
            db.execute(delete(self.table).where(self.table.c.expires_at <= now))
        return None if hits <= limit.count else max(1, start + limit.seconds - now)

    def _count(self, db: Connection, key: str, start: int, expires_at: int) -> int:
        statement = (upsert(db, self.table)
                     .values(key=key, window_start=start, hits=1, expires_at=expires_at)
                     .on_conflict_do_update(index_elements=["key", "window_start"],
                                            set_={"hits": self.table.c.hits + 1})
                     .returning(self.table.c.hits))
        return db.execute(statement).scalar_one()


def client_address(peer: str, forwarded_for: str, trusted_proxies: tuple) -> str:
    """Who sent the request: the peer, unless the peer is a proxy named in TRUSTED_PROXIES; then
    the nearest address in X-Forwarded-For that is not one of those proxies. Read from the right,
    because only the proxies' own entries can be believed: a client may write anything before them."""
    address = peer
    for hop in reversed([part.strip() for part in forwarded_for.split(",")]):
        if not _within(address, trusted_proxies) or not _is_address(hop):
            break
        address = hop
    return address


def recipient(email: str) -> str:
    """One mailbox, however it is written: case, spaces and a +tag do not make a new recipient."""
    local, _, domain = email.strip().lower().rpartition("@")
    return f"{local.split('+', 1)[0]}@{domain}"


def _is_address(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
        return True
    except ValueError:
        return False


def _within(address: str, networks: tuple) -> bool:
    return _is_address(address) and any(ipaddress.ip_address(address) in network for network in networks)
