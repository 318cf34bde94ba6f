"""Start the services as separate processes, the way production runs them, and stop them cleanly."""
import os
import signal
import subprocess
import sys
from pathlib import Path


class ProcessGroup:
    def __init__(self, log_dir: Path, env: dict):
        self.log_dir, self.env = log_dir, {**os.environ, **env}
        self.children: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, *args: str) -> None:
        log = open(self.log_dir / f"{name}.log", "wb")
        child = subprocess.Popen([sys.executable, *args], env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.children.append((name, child))

    def start_service(self, service: str, port: int) -> None:
        self.start(f"{service}-web", "-m", "gunicorn", "--workers", "2", "--bind", f"127.0.0.1:{port}",
                   f"{service}.app:create_app()")
        self.start(f"{service}-relay", "-m", service, "relay")
        self.start(f"{service}-worker", "-m", service, "worker")
        if service == "notifications":  # its mailer is a process of its own, as make run starts it
            self.start(f"{service}-mailer", "-m", service, "mailer")

    def check_alive(self) -> None:
        dead = [name for name, child in self.children if child.poll() is not None]
        assert not dead, f"processes stopped: {dead}\n{self.logs()}"

    def logs(self, lines: int = 30) -> str:
        tails = []
        for path in sorted(self.log_dir.glob("*.log")):
            tail = path.read_text(errors="replace").splitlines()[-lines:]
            tails.append(f"--- {path.name}\n" + "\n".join(tail))
        return "\n".join(tails)

    def stop(self) -> None:
        for _, child in self.children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)
        for _, child in self.children:
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
