"""`make run` (deploy/launch.py) as a subprocess, for tests that need the whole system running:
its embedded mode by default, or on real servers when `environ` gives their URLs.

    with launched_system(tmp_path) as system:
        system.urls["registration"]   # e.g. http://127.0.0.1:41234 (no trailing slash)
        system.mail_dir               # where the .eml files appear

It runs `deploy/launch.py` with this interpreter, in a VAR_DIR of its own under `directory`, on
free loopback ports, and returns once the launcher has said it is running, every service's
/healthz answers 200 and the registration index lists an activity (the demo data). On exit it
sends SIGINT, as Ctrl-C would, and asserts a clean exit (code 0); a launcher that hangs is
killed and the test fails. Its stdout and stderr go
to `launch.stdout` and `launch.stderr` in `directory`; their tails are in every failure message.
"""
import os
import re
import signal
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]
LAUNCHER = ROOT / "deploy" / "launch.py"
SERVICES = ("registration", "content", "notifications")
ACTIVITY_LINK = re.compile(r'href="/activities/[0-9a-f-]{36}"')
RUNNING = "Press Ctrl-C to stop."  # the launcher's last line before it waits for Ctrl-C
# Variables that would take the launcher out of the embedded mode or away from this directory.
NOT_INHERITED = {"AMQP_URL", "SMTP_URL", "MAIL_DIR", "APP_ENV", "BROKER_NAMESPACE", "HOST"} | {
    f"{name.upper()}_{variable}" for name in SERVICES for variable in ("DATABASE_URL", "PORT", "PUBLIC_URL")}


@dataclass(frozen=True)
class LaunchedSystem:
    urls: dict          # service name -> base URL, no trailing slash
    mail_dir: Path
    var_dir: Path
    stdout: Path
    stderr: Path
    process: subprocess.Popen

    def output_tail(self, lines: int = 40) -> str:
        """The last lines the launcher wrote, for assertion messages."""
        return _tail(self.stdout, self.stderr, lines)


@contextmanager
def launched_system(directory: Path, timeout: float = 60.0, environ: dict | None = None):
    """The whole system, started in `directory` and stopped with SIGINT on exit; see the module doc.

    `environ` adds or overrides variables for the launcher (the defaults need none)."""
    directory = Path(directory)
    var_dir = directory / "var"
    ports = dict(zip(SERVICES, free_ports(len(SERVICES))))
    urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    env.update(VAR_DIR=str(var_dir), HOST="127.0.0.1", PYTHONUNBUFFERED="1")
    for name in SERVICES:
        env[f"{name.upper()}_PORT"] = str(ports[name])
        env[f"{name.upper()}_PUBLIC_URL"] = urls[name]
    env.update(environ or {})

    stdout, stderr = directory / "launch.stdout", directory / "launch.stderr"
    with ExitStack() as files:
        process = subprocess.Popen(
            [sys.executable, str(LAUNCHER)], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
            stdout=files.enter_context(stdout.open("wb")), stderr=files.enter_context(stderr.open("wb")))
        system = LaunchedSystem(urls=urls, mail_dir=var_dir / "mail", var_dir=var_dir,
                                stdout=stdout, stderr=stderr, process=process)
        try:
            _wait_until_ready(system, timeout)
        except BaseException:
            if process.poll() is None:
                process.kill()
                process.wait()
            raise
        try:
            yield system
        finally:
            _stop(system)


def free_ports(count: int) -> list[int]:
    """Ports nothing listens on now: bound to port 0 together, so they are distinct."""
    with ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(count)]
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, ""
    except (urllib.error.URLError, OSError):
        return 0, ""


def _wait_until_ready(system: LaunchedSystem, timeout: float) -> None:
    def ready() -> bool:
        if system.process.poll() is not None:
            raise AssertionError(f"the launcher exited with code {system.process.returncode} before it was "
                                 f"ready\n{system.output_tail()}")
        if RUNNING not in system.stdout.read_text(errors="replace"):
            return False
        if any(_get(f"{url}/healthz")[0] != 200 for url in system.urls.values()):
            return False
        status, page = _get(f"{system.urls['registration']}/")
        return status == 200 and bool(ACTIVITY_LINK.search(page))

    try:
        wait_until(ready, timeout=timeout, what=f"the launcher to print {RUNNING!r}, every /healthz "
                                                "to answer 200 and the registration index to list an activity", interval=0.1)
    except AssertionError as error:
        if system.process.poll() is not None:
            raise
        raise AssertionError(f"{error}\n{system.output_tail()}") from None


def _stop(system: LaunchedSystem, grace: float = 30.0) -> None:
    process = system.process
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            raise AssertionError(f"the launcher did not stop within {grace}s of SIGINT (Ctrl-C) and was "
                                 f"killed\n{system.output_tail()}") from None
    assert process.returncode == 0, (f"the launcher exited with code {process.returncode} on SIGINT (Ctrl-C), "
                                     f"not 0\n{system.output_tail()}")


def _tail(stdout: Path, stderr: Path, lines: int) -> str:
    parts = []
    for path in (stdout, stderr):
        try:
            text = path.read_text(errors="replace")
        except OSError as error:
            text = f"(unreadable: {error})"
        parts.append(f"--- last {lines} lines of {path} ---\n" + "\n".join(text.splitlines()[-lines:]))
    return "\n".join(parts)
