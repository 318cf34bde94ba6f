"""Listening for PostgreSQL's NOTIFY on a connection of its own: how a sleeping scheduler hears
that work was scheduled (shared.scheduling's channel per job), and how the relay and the projector
hear that facts were appended (shared.eventstore.FACTS_CHANNEL)."""
import logging
import threading
import time
from typing import Callable

from sqlalchemy import Engine

from shared.logs import fields

log = logging.getLogger(__name__)
STOP_CHECK = 1.0  # how often a sleeper looks at its stop flag (no query)
BURST = 0.01  # seconds: notifications this soon after the first belong to its burst (the server
# sends each commit's notification as its listening session gets to it, a few milliseconds apart)


class Listener:
    """A PostgreSQL connection of its own that LISTENs on channels: scheduling commits of some jobs
    (channel_of), or appended facts (shared.eventstore.FACTS_CHANNEL)."""

    def __init__(self, engine: Engine, *channels: str):
        self.engine, self.channels, self._connection = engine, channels, None

    def listen(self) -> None:
        if self._connection is None:
            pooled = self.engine.raw_connection()
            connection = pooled.driver_connection
            pooled.detach()  # a session of its own, never handed back to the pool
            connection.rollback()  # a rested connection was pinged at checkout: end that transaction
            self._connection = connection
            self._connection.autocommit = True
            for channel in self.channels:
                self._connection.execute(f"LISTEN {channel}")

    def sleep(self, seconds: float, stopping: threading.Event,
              wakes: Callable[[str], bool] = lambda _payload: True) -> bool:
        """Until a notification whose payload `wakes` accepts, `seconds` or a stop; looks at the
        stop flag every STOP_CHECK. The notifications that come within BURST of the first are taken
        too: one wake-up for a burst of commits. True when a notification woke it."""
        deadline = time.monotonic() + max(0.0, seconds)
        while not stopping.is_set() and (left := deadline - time.monotonic()) > 0:
            news = list(self._connection.notifies(timeout=min(left, STOP_CHECK), stop_after=1))
            news += self._connection.notifies(timeout=BURST) if news else []
            if any(wakes(note.payload) for note in news):
                return True
        return False

    def wait_for_news(self, seconds: float, stopping: threading.Event) -> None:
        """A loop's wait when it found nothing to do: until a notification on the channel."""
        self.listen()
        self.sleep(seconds, stopping)

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            try:
                connection.close()
            except Exception as error:  # a connection that died already: nothing left to close
                log.debug("listening connection did not close cleanly", extra=fields(error=type(error).__name__))
