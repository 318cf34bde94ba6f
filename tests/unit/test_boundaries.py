"""Each service stands alone: it imports shared/ and itself, never another service's code."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ("registration", "content", "notifications")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("service", SERVICES)
def test_a_service_imports_no_other_service(service):
    others = set(SERVICES) - {service}
    offenders = {str(path.relative_to(ROOT)): sorted(imported_modules(path) & others)
                 for path in (ROOT / "services" / service).rglob("*.py")}
    assert {path: found for path, found in offenders.items() if found} == {}


def test_the_shared_library_imports_no_service():
    offenders = {str(path.relative_to(ROOT)): sorted(imported_modules(path) & set(SERVICES))
                 for path in (ROOT / "shared").rglob("*.py")}
    assert {path: found for path, found in offenders.items() if found} == {}
