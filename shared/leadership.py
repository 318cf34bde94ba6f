"""One active instance of each follower of the log (the relay, the projector) however many
processes run it: the leader holds a PostgreSQL session-level advisory lock on a connection of its
own, and the others stand by until it goes. A relay or projector running twice would publish out of
order or apply facts twice. On SQLite (one machine, the embedded mode) every instance leads."""
import logging
import time
import zlib

from sqlalchemy import Connection, Engine, text

from shared.database import is_postgres
from shared.logs import fields

log = logging.getLogger(__name__)
LEADERSHIP_CLASS = 7201
CHECK_EVERY = 1.0  # seconds: how often the leader pings its own session. Leading a little longer
# on a session that has just ended is safe: every batch is fenced by its checkpoint row.


class Leadership:
    def __init__(self, engine: Engine, name: str, check_every: float = CHECK_EVERY):
        self.engine, self.name, self.check_every = engine, name, check_every
        self.key = zlib.crc32(name.encode()) & 0x7FFFFFFF
        self._connection: Connection | None = None
        self._checked_until = 0.0  # monotonic time until which the session counts as alive

    def held(self) -> bool:
        """True while this instance leads; tries to take the lead when it does not."""
        if not is_postgres(self.engine):
            return True
        if self._connection is not None and (time.monotonic() < self._checked_until or self._alive()):
            return True
        self.release()
        connection = self.engine.connect()
        # The leader pings this session every second or so; one idle for 30 s belongs to a frozen leader,
        # and ending it frees the lock for a standby (its batches are fenced by the checkpoint row).
        connection.execute(text("SET idle_session_timeout = '30s'"))
        won = connection.execute(text("SELECT pg_try_advisory_lock(:c, :k)"),
                                 {"c": LEADERSHIP_CLASS, "k": self.key}).scalar()
        connection.commit()
        if not won:
            connection.close()
            return False
        log.info("took the lead", extra=fields(follower=self.name))
        self._connection, self._checked_until = connection, time.monotonic() + self.check_every
        return True

    def release(self) -> None:
        """Give up the lead. The pool keeps sessions open, so the lock is released explicitly;
        a connection that cannot do that is discarded, which ends its session and the lock."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.execute(text("SELECT pg_advisory_unlock(:c, :k)"), {"c": LEADERSHIP_CLASS, "k": self.key})
            connection.execute(text("RESET idle_session_timeout"))  # back to the pool as it came
            connection.commit()
        except Exception:
            connection.invalidate()
        finally:
            connection.close()

    def _alive(self) -> bool:
        try:
            self._connection.execute(text("SELECT 1")).scalar()
            self._connection.commit()
            self._checked_until = time.monotonic() + self.check_every
            return True
        except Exception:
            return False
