"""CPU time spent by the whole system, from /proc (Linux), so that a whole-system run can say where
a registration's CPU goes: each of the system's processes by what it runs (gunicorn's workers of a
service together), the database and broker servers (every postgres and beam.smp process on the
machine), and the bench's own process (the load generator and the SMTP sink). Read before and after
a run; the difference per registration is what the run cost."""
import os

from bench.memory import PROC, descendants, name_of

TICKS = os.sysconf("SC_CLK_TCK")
SERVERS = {"postgres": "PostgreSQL", "beam.smp": "RabbitMQ"}


def cpu_seconds(root: int) -> dict[str, float]:
    """{what runs: CPU seconds so far}, for the system under `root`, the servers and the bench."""
    totals: dict[str, float] = {}
    for pid in descendants(root):
        _add(totals, _group(pid), pid)
    for entry in PROC.iterdir():
        if entry.name.isdigit() and (server := SERVERS.get(_command(entry))):
            _add(totals, server, int(entry.name))
    user, system = os.times()[:2]
    totals["bench: load generator and sink"] = user + system
    return totals


def per_registration(before: dict[str, float], after: dict[str, float], registrations: int) -> dict[str, float]:
    """Milliseconds of CPU per registration by process, most first."""
    spent = {name: (after[name] - before.get(name, 0.0)) * 1000 / max(registrations, 1) for name in after}
    return {name: round(ms, 1) for name, ms in sorted(spent.items(), key=lambda item: -item[1]) if ms >= 0.05}


def _add(totals: dict[str, float], name: str, pid: int) -> None:
    try:
        fields = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return  # ended meanwhile
    totals[name] = totals.get(name, 0.0) + (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def _group(pid: int) -> str:
    try:
        return name_of(pid)
    except OSError:
        return "?"


def _command(entry) -> str:
    try:
        return (entry / "comm").read_text().strip()
    except OSError:
        return ""
