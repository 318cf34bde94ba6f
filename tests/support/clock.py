"""A clock a test moves, handed to a service as its injected clock: time passes only when the test
says so, so nothing waits for it."""
from datetime import datetime, timedelta


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def move(self, **delta) -> None:
        """clock.move(minutes=5)"""
        self.now += timedelta(**delta)
