"""append: one fact per transaction through the event store, against a bare INSERT + commit.
writers: 8 threads appending at once (the append lock serialises them), against 8 bare inserters."""
import threading

from bench.common import COUNT, Compared, timed
from bench.store import StoreDatabase

THREADS = 8


def measure() -> list:
    with StoreDatabase() as db:
        ours, bare = timed(lambda: db.append_each("a", COUNT)), timed(lambda: db.insert_each("a", COUNT))
        per_thread = COUNT // THREADS
        together = per_thread * THREADS
        ours_threads = timed(_in_threads(db.append_each, per_thread))
        bare_threads = timed(_in_threads(db.insert_each, per_thread))
    return [Compared("append", "facts/s", COUNT / ours, COUNT / bare, "bare INSERT + commit"),
            Compared("writers", "facts/s", together / ours_threads, together / bare_threads,
                     f"{THREADS} bare inserters")]


def _in_threads(work, count: int):
    def run():
        threads = [threading.Thread(target=work, args=(f"t{n}-", count)) for n in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    return run
