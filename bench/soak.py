"""soak (only with BENCH_SOAK=1): 25 registrations/s offered for 10 minutes through the whole
system, sampling every process's resident memory after each 30 s; the growth from the first
sample (after the first 30 s, once warm) to the last should be none (goal: under 10 MB)."""
import uuid

from bench import load
from bench.common import Absolute, sized
from bench.memory import megabytes
from bench.system import running_system

RATE, CHUNK, CHUNKS, GROWTH_GOAL_MB = 25, sized(30.0, 5.0), sized(20, 3), 10.0


def measure() -> list:
    samples = []
    with running_system() as system:
        pages = [f"{system.url}/activities/{i}" for i in system.open_activities(10, 100_000)]
        tag = uuid.uuid4().hex[:6]
        for chunk in range(CHUNKS):
            def job(session, index, chunk=chunk):
                return load.register(session, pages[index % len(pages)], "Bench Person",
                                     f"soak-{chunk}-{index}-{tag}@example.org")
            load.open_loop(RATE, CHUNK, job, limit_seconds=CHUNK + 30)
            samples.append(megabytes(system.pid, "VmRSS"))
        peak = system.peak_rss("soak")
    growth = {name: round(size - samples[0].get(name, size), 1) for name, size in samples[-1].items()}
    largest = max(growth.values(), default=0.0)
    return [Absolute(f"soak: RSS growth over {CHUNKS * CHUNK / 60:.1f} min, largest", "MB", largest,
                     f"< {GROWTH_GOAL_MB:.0f} MB", largest < GROWTH_GOAL_MB, detail=growth), peak]
