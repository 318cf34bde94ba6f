"""`make run`: the whole system on one machine.

Embedded (no AMQP_URL): one process hosts the three services, their relays and workers, on the
in-process broker, with SQLite under var/ and mail written to var/mail/.
With AMQP_URL set: each service runs as its own processes (gunicorn web, relay, worker) against
RabbitMQ and whatever database and SMTP URLs are set, each restarted with back-off if it dies.
Ctrl-C stops everything cleanly.
"""
import importlib
import logging
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from werkzeug.serving import make_server

from shared import logs, metrics
from shared.loops import run_loops
from shared.settings import SettingsError, load

SERVICES = ("registration", "content", "notifications")
GUNICORN_CONFIG = str(Path(__file__).with_name("gunicorn.conf.py"))  # threaded workers, prometheus multiprocess mode
WEB_WORKERS = os.environ.get("WEB_WORKERS", "2")  # gunicorn workers per service: one per core here
HOST = os.environ.get("HOST", "127.0.0.1")
log = logging.getLogger("launch")


def main() -> int:
    logs.configure()
    try:
        settings = {name: load(name) for name in SERVICES}
        if settings["registration"].embedded_broker:
            return run_embedded(settings)
        return run_processes(settings)
    except SettingsError as error:
        print(f"make run: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # Ctrl-C while starting: every transaction so far committed or rolled back
        return 0


def run_embedded(settings) -> int:
    loops, servers = [], []
    for name in SERVICES:
        package = importlib.import_module(f"{name}.bootstrap")
        service = package.bootstrap(settings[name])
        _seed(name, service)
        app = importlib.import_module(f"{name}.app").create_app(service)
        servers.append(make_server(HOST, settings[name].port, app, threaded=True))
        loops += service.runtime.loops(service.parts, {"relay", "worker", "mailer"})
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    _announce(settings, "embedded: SQLite under var/, in-process broker")
    stop = threading.Event()
    try:
        run_loops(loops, stop)
    finally:
        for server in servers:
            server.shutdown()
    return 0


def _seed(name, service) -> None:
    try:
        seed = importlib.import_module(f"{name}.demo").seed
    except ModuleNotFoundError:
        return
    if seed(service):
        log.info("demo data loaded", extra=logs.fields(service=name))


def run_processes(settings) -> int:
    python = sys.executable
    mailing = set()
    for name in SERVICES:  # every queue before any relay publishes; then the demo data
        service = importlib.import_module(f"{name}.bootstrap").bootstrap(settings[name])
        service.runtime.declare_queues(service.parts)
        _seed(name, service)
        if service.runtime.loops(service.parts, {"mailer"}):
            mailing.add(name)
        service.runtime.engine.dispose()
    children = []
    for number, name in enumerate(SERVICES):
        bind = f"{HOST}:{settings[name].port}"
        children += [
            Supervised(f"{name}-web", [python, "-m", "gunicorn", "-c", GUNICORN_CONFIG, "--workers", WEB_WORKERS, "--bind",
                                       bind, "--access-logfile", "-", f"{name}.app:create_app()"]),
            Supervised(f"{name}-relay", [python, "-m", name, "relay"], env=metrics.numbered_port(3 * number)),
            Supervised(f"{name}-worker", [python, "-m", name, "worker"], env=metrics.numbered_port(3 * number + 1)),
        ]
        if name in mailing:
            children.append(Supervised(f"{name}-mailer", [python, "-m", name, "mailer"],
                                       env=metrics.numbered_port(3 * number + 2)))
    for child in children:
        child.start()
    _announce(settings, "processes: gunicorn, relay and worker per service (and notifications' mailer), on RabbitMQ")
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    while not stop.wait(0.5):
        for child in children:
            child.tend()
    for child in children:
        child.stop()
    return 0


class Supervised:
    """One process of `make run`, restarted when it dies, as a supervisor would: after 1 s, doubling
    to 30 s while it keeps dying, back to 1 s once it has run for a minute. A dead loop process
    never takes the others down with it."""
    FIRST_DELAY, LONGEST_DELAY, RAN_WELL = 1.0, 30.0, 60.0

    def __init__(self, name: str, command: list[str], env: dict | None = None):
        self.name, self.command, self.env = name, command, env
        self.process: subprocess.Popen | None = None
        self.started_at, self.delay, self.restart_at = 0.0, self.FIRST_DELAY, None

    def start(self) -> None:
        self.process, self.started_at, self.restart_at = subprocess.Popen(self.command, env=self.env), time.monotonic(), None
        log.info("process started", extra=logs.fields(process=self.name, pid=self.process.pid))

    def tend(self) -> None:
        """Restart the process if it has died and its back-off is over."""
        now = time.monotonic()
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.start()
            return
        code = self.process.poll()
        if code is None:
            return
        if now - self.started_at >= self.RAN_WELL:
            self.delay = self.FIRST_DELAY
        log.error("process stopped; restarting it", extra=logs.fields(process=self.name, exit_code=code,
                                                                      restart_in=self.delay))
        self.restart_at, self.delay = now + self.delay, min(self.delay * 2, self.LONGEST_DELAY)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _announce(settings, mode: str) -> None:
    lines = [f"Co-production Week is running ({mode}).",
             f"  registration   http://{HOST}:{settings['registration'].port}/",
             f"  content        http://{HOST}:{settings['content'].port}/",
             f"  notifications  http://{HOST}:{settings['notifications'].port}/",
             f"  mail           {settings['notifications'].smtp_url or settings['notifications'].mail_dir}",
             "Press Ctrl-C to stop."]
    print("\n".join(lines), flush=True)


if __name__ == "__main__":
    sys.exit(main())
