"""Background loops: each does one step at a time until asked to stop, and never dies of an error.

A step returns how much work it did; an idle step waits a little before the next (so does one that
did less than a full batch, when the loop knows what a full batch is: nothing more was there to
take, and stepping again at once would only find that out), a failing one backs off (doubling,
capped) and the loop carries on, so a broker or database outage only pauses it.
Every loop counts its steps, the work they did and the steps that failed, by loop name and kind
(shared/metrics.py), so each kind of process has the same three numbers without code of its own.
"""
import logging
import signal
import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from shared import metrics
from shared.logs import fields

log = logging.getLogger(__name__)


@dataclass
class Loop:
    name: str
    step: Callable[[], int]
    kind: str = ""  # the process kind that runs it: relay, consumer, projector, scheduler, mailer
    idle_wait: float = 0.2
    max_backoff: float = 10.0
    on_error: Callable[[], None] = lambda: None
    stopping: threading.Event = field(default_factory=threading.Event)  # a step that waits long watches it
    # how to wait idle_wait after a step that found nothing (or less than full_at): plain time, or
    # until news comes (a NOTIFY)
    wait: Callable[[float, threading.Event], Any] = lambda seconds, stop: stop.wait(seconds)
    full_at: int = 0  # a step that did less than a full batch found the end of its work: it waits too

    def run(self) -> None:
        stop = self.stopping
        backoff = 0.0
        log.info("loop started", extra=fields(loop=self.name))
        while not stop.is_set():
            try:
                done = self._counted_step()
                if not done or done < self.full_at:
                    self.wait(self.idle_wait, stop)
                backoff = 0.0
            except Exception:
                metrics.LOOP_ERRORS.labels(self.name, self.kind).inc()
                backoff = min(self.max_backoff, backoff * 2 or 0.5)
                log.exception("loop step failed; backing off", extra=fields(loop=self.name, backoff=backoff))
                self._recover()
                stop.wait(backoff)
        log.info("loop stopped", extra=fields(loop=self.name))

    def _counted_step(self) -> int:
        metrics.LOOP_STEPS.labels(self.name, self.kind).inc()
        done = self.step()
        metrics.LOOP_WORK.labels(self.name, self.kind).inc(int(done or 0))
        return done

    def _recover(self) -> None:
        try:
            self.on_error()
        except Exception:
            log.exception("loop recovery failed", extra=fields(loop=self.name))


def run_loops(loops: list[Loop], stop: threading.Event | None = None) -> None:
    """Run loops on threads until SIGINT or SIGTERM (or stop is set), then wait for them to end."""
    stop = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_: stop.set())
    threads = [threading.Thread(target=loop.run, name=loop.name, daemon=True) for loop in loops]
    for thread in threads:
        thread.start()
    while not stop.wait(0.5):
        pass
    for loop in loops:
        loop.stopping.set()
    for thread in threads:
        thread.join(timeout=15)
