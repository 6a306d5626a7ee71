"""The code's layout rules, checked on the source: imports point down, one writer of history, a pure legal core.

Each rule has a reason in STYLE.md (items 15-19); a failure names the file and line that breaks it.
"""

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Lower layers first: a module may import its own package and any package before it, never one after it.
LAYERS = (
    "common",
    "legal",
    "accounts",
    "facilities",
    "notifications",
    "incidents",
    "alarms",
    "analytics",
    "api",
    "config",
)


def _sources(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts)


def _imports(path: Path) -> list[tuple[int, str, bool]]:
    """(line, imported module, inside a function) for every import in the file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                found.extend((child.lineno, alias.name, in_function) for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                found.append((child.lineno, child.module, in_function))
            visit(child, inner)

    visit(tree, False)
    return found


def _where(path: Path, line: int) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


def test_imports_point_down_between_packages():
    upward = []
    for rank, package in enumerate(LAYERS):
        for path in _sources(package):
            for line, module, _ in _imports(path):
                top = module.split(".")[0]
                if top in LAYERS and LAYERS.index(top) > rank:
                    upward.append(f"{_where(path, line)} {package} -> {module}")
    assert upward == []


def test_no_function_level_import_but_the_celery_services_tasks_pair():
    """A function-level import dodges a cycle; only services importing their app's tasks may (Celery needs it)."""
    tucked = []
    for package in LAYERS:
        for path in _sources(package):
            in_services = "services" in path.parts or path.stem == "services"
            for line, module, in_function in _imports(path):
                top = module.split(".")[0]
                if not in_function or top not in LAYERS:
                    continue
                if in_services and module.endswith(".tasks"):
                    continue
                tucked.append(f"{_where(path, line)} imports {module}")
    assert tucked == []


def test_only_the_events_module_writes_case_history():
    writers = []
    for package in LAYERS:
        for path in _sources(package):
            if "IncidentEvent.objects.create" in path.read_text() and path != ROOT / "incidents" / "events.py":
                writers.append(str(path.relative_to(ROOT)))
    assert writers == []


@pytest.mark.parametrize("module", ["legal.rules", "legal.facts", "legal.statute", "legal.sentences"])
def test_the_legal_core_imports_nothing_of_django(module):
    code = f"import sys, {module}; print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_the_rule_checks_catch_a_violation(tmp_path):
    """The AST walk finds a tucked-away import (so an empty result above means something)."""
    sample = tmp_path / "sample.py"
    sample.write_text("import os\n\ndef f():\n    from incidents.models import Incident\n    return Incident\n")
    assert _imports(sample) == [(1, "os", False), (4, "incidents.models", True)]
