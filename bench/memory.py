"""Resident memory of a process and all its descendants, from /proc (Linux): now (VmRSS) and the
peak over each process's life so far (VmHWM), named by what each process runs."""
from pathlib import Path

PROC = Path("/proc")


def descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in PROC.iterdir():
        if entry.name.isdigit():
            try:
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue  # gone meanwhile
            children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def megabytes(root: int, field: str = "VmHWM") -> dict[str, float]:
    """{process name: MB} for `root` and every descendant still running."""
    sizes = {}
    for pid in descendants(root):
        try:
            status = (PROC / str(pid) / "status").read_text()
            name = name_of(pid)
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith(field + ":"):
                sizes[f"{name} [{pid}]"] = round(int(line.split()[1]) / 1024, 1)
    return sizes


def name_of(pid: int) -> str:
    """e.g. 'registration relay', 'gunicorn registration.app:create_app()', 'launch.py'."""
    args = (PROC / str(pid) / "cmdline").read_bytes().decode(errors="replace").split("\0")
    args = [arg for arg in args[1:] if arg and arg not in ("-m", "--workers", "2", "--access-logfile", "-")]
    words = [arg.rsplit("/", 1)[-1] for arg in args if not arg.startswith(("--bind", "127.0.0.1:"))]
    return " ".join(words)[:60] or "?"
