"""Processes the bench starts itself: gunicorn serving an app under the settings `make run`
uses (deploy/gunicorn.conf.py, 2 workers), on a free loopback port, and stopped with SIGTERM."""
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORKERS = os.environ.get("WEB_WORKERS", "2")  # as deploy/launch.py runs every web process
CONFIG = str(ROOT / "deploy" / "gunicorn.conf.py")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(app: str, env: dict, ready_path: str = "/", log: Path | None = None, timeout: float = 60.0):
    """Serve `app` (e.g. "registration.app:create_app()") and yield its base URL."""
    port = free_port()
    output = open(log, "wb") if log else subprocess.DEVNULL
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", CONFIG, "--workers", WORKERS, "--bind",
                                f"127.0.0.1:{port}", app], cwd=ROOT, env={**os.environ, **env},
                               stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for(url + ready_path, process, timeout)
        yield url
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if log:
            output.close()


def _wait_for(url: str, process: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with code {process.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)  # polling a server that is starting, with a deadline
    raise RuntimeError(f"{url} did not answer 200 within {timeout:.0f}s")
