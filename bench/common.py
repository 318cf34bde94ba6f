"""What every measurement shares: the run's settings, a database of its own, and the figures it
reports. Loopback only; every count and wait is bounded.

A measurement returns a list of figures for one run; the runner repeats it and aggregates:
  Compared(name, unit, ours, baseline, goal): a rate against a baseline measured in the same run;
      ratio = ours / baseline (higher is better, as for the goal).
  Absolute(name, unit, value, goal, met): a figure with no baseline, and whether it met its goal.
"""
import os
import time
import uuid
from dataclasses import dataclass, field

from sqlalchemy import create_engine, text

POSTGRES = os.environ.get("BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
RABBITMQ = os.environ.get("BENCH_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")
QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
SOAK = os.environ.get("BENCH_SOAK", "") not in ("", "0")
REPEAT = int(os.environ.get("BENCH_REPEAT", "1" if QUICK else "3"))
SYSTEM_REPEAT = int(os.environ.get("BENCH_SYSTEM_REPEAT", str(REPEAT)))  # latency, rush, soak: minutes each
COUNT = int(os.environ.get("BENCH_COUNT", "200" if QUICK else "2000"))
# The load comes from one address: the form's per-client and per-address limits (issue 6) would
# refuse it, so the bench lifts them; they cost one upsert per POST either way.
UNLIMITED = {"SUBMISSIONS_PER_CLIENT": "100000000/60", "SUBMISSIONS_PER_ADDRESS": "100000000/60"}


def sized(full, quick):
    """The full-mode value, or the small one of the quick mode."""
    return quick if QUICK else full


@dataclass
class Compared:
    name: str
    unit: str
    ours: float
    baseline: float
    baseline_name: str
    goal: float | None = None  # the least ratio wanted, or None where there is only the figure
    extra: dict = field(default_factory=dict)  # e.g. p50 and p99 latencies, printed beside it

    @property
    def ratio(self) -> float:
        return self.ours / self.baseline if self.baseline else 0.0


@dataclass
class Absolute:
    name: str
    unit: str
    value: float
    goal: str = ""
    met: bool | None = None
    detail: dict = field(default_factory=dict)  # e.g. the figure of each process


def timed(work) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class Database:
    """A PostgreSQL database of the bench's own, dropped afterwards."""

    def __init__(self, prefix: str = "bench"):
        self.name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        self.admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
        with self.admin.connect() as db:
            db.execute(text(f'CREATE DATABASE "{self.name}"'))
        self.url = POSTGRES.rsplit("/", 1)[0] + "/" + self.name

    def drop(self):
        with self.admin.connect() as db:
            db.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        self.admin.dispose()

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.drop()
