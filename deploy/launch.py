"""`make run`: the whole system on one machine.

Embedded (no AMQP_URL): one process hosts the three services, their relays and workers, on the
in-process broker, with SQLite under var/ and mail written to var/mail/.
With AMQP_URL set: each service runs as its own processes (gunicorn web, relay, worker) against
RabbitMQ and whatever database and SMTP URLs are set.
Ctrl-C stops everything cleanly.
"""
import importlib
import logging
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from werkzeug.serving import make_server

from shared import logs, metrics
from shared.loops import run_loops
from shared.settings import SettingsError, load

SERVICES = ("registration", "content", "notifications")
GUNICORN_CONFIG = str(Path(__file__).with_name("gunicorn.conf.py"))  # prometheus multiprocess mode
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
        loops += service.runtime.loops(service.parts, {"relay", "worker"})
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
    for name in SERVICES:
        subprocess.run([python, "-m", name, "seed-demo"], check=True, stdout=subprocess.DEVNULL)
    children = []
    for number, name in enumerate(SERVICES):
        bind = f"{HOST}:{settings[name].port}"
        children += [
            subprocess.Popen([python, "-m", "gunicorn", "-c", GUNICORN_CONFIG, "--workers", "2", "--bind", bind,
                              "--access-logfile", "-", f"{name}.app:create_app()"]),
            subprocess.Popen([python, "-m", name, "relay"], env=metrics.numbered_port(2 * number)),
            subprocess.Popen([python, "-m", name, "worker"], env=metrics.numbered_port(2 * number + 1)),
        ]
    _announce(settings, "processes: gunicorn, relay and worker per service, on RabbitMQ")
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    while not stop.wait(0.5):
        if any(child.poll() is not None for child in children):
            log.error("a process stopped; stopping the rest")
            break
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        child.wait(timeout=20)
    return 0


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
