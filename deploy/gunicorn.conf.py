"""Gunicorn settings every web process shares: `gunicorn -c deploy/gunicorn.conf.py ...`.

Workers: threaded (gthread), each with WEB_THREADS threads (4). A request spends most of its time
waiting on the database (a registration: about two thirds); a sync worker sits idle through every
one of those waits, while a thread of the same worker can use them. Threaded workers also keep
connections alive (`keepalive`) between a proxy or browser and the service, which sync workers
cannot: behind nginx, a page's requests share one connection instead of opening one each. The
number of workers stays on the command line (2 on this two-core machine: one per core).

Metrics: each worker is its
own process with its own counters, so without a shared directory a scrape of /metrics would show
the share of whichever worker answered. prometheus-client's multiprocess mode keeps every worker's
counts in PROMETHEUS_MULTIPROC_DIR (a fresh temporary directory when unset) and shared/metrics.py
adds them up. The variable is set here, in the master, before any worker is forked or
prometheus_client imported, so every worker inherits it.
"""
import glob as _glob
import os as _os
import shutil as _shutil
import tempfile as _tempfile

_made_here = not _os.environ.get("PROMETHEUS_MULTIPROC_DIR")
if _made_here:
    _os.environ["PROMETHEUS_MULTIPROC_DIR"] = _tempfile.mkdtemp(prefix="cpw-metrics-")

from prometheus_client import multiprocess as _multiprocess  # noqa: E402  (after the variable is set)

worker_class = "gthread"
threads = int(_os.environ.get("WEB_THREADS", "4"))
keepalive = 5  # seconds an idle kept-alive connection is held open (nginx's upstream keepalive uses it)


def on_starting(server):
    """Counts left by an earlier run would be added to this one's: the directory starts empty."""
    directory = _os.environ["PROMETHEUS_MULTIPROC_DIR"]
    _os.makedirs(directory, exist_ok=True)
    for stale in _glob.glob(_os.path.join(directory, "*.db")):
        _os.remove(stale)


def child_exit(server, worker):
    """A worker that exits (or is replaced) stops counting in live gauges; its counters stay summed."""
    _multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    if _made_here:
        _shutil.rmtree(_os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
