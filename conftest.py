"""Every test is marked with its level, from where it lives, so that one level runs alone:
`pytest -m unit` (no servers, no database), `-m service` (one app on SQLite and the in-process
broker), `-m integration` (PostgreSQL, RabbitMQ, SMTP), `-m e2e` (processes and a browser)."""
from pathlib import Path

import pytest

ROOT = Path(__file__).parent


def level_of(path: Path) -> str:
    parts = path.relative_to(ROOT).parts
    if parts[0] == "services":
        return "unit" if "unit" in parts else "service"
    for level in ("unit", "integration", "e2e"):
        if level in parts:
            return level
    return "unit"  # tests/test_compose.py and the like: files read, nothing started


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(getattr(pytest.mark, level_of(Path(item.fspath))))
