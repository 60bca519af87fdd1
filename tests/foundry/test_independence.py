"""The framework's suite imports nothing of the application it ships with.

``tests/foundry`` runs against its own test application (``tests/foundry/testbench``), so that an
application growing models, seeders and routes never breaks a framework test. This reads every
module of the suite (without importing it) and names each import of ``app``, ``routes``,
``config`` or ``database``, including dotted paths handed to ``importlib.import_module``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

SUITE = Path(__file__).parent
APPLICATION_PACKAGES = frozenset({"app", "routes", "config", "database"})


def _imported(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """``(line, module)`` of every absolute import, and of ``import_module("...")`` calls."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
        elif isinstance(node, ast.Call) and node.args:
            function, first = node.func, node.args[0]
            name = function.attr if isinstance(function, ast.Attribute) else ""
            name = function.id if isinstance(function, ast.Name) else name
            if name in {"import_module", "__import__"} and isinstance(first, ast.Constant):
                if isinstance(first.value, str):
                    yield node.lineno, first.value


def application_imports(root: Path) -> list[str]:
    """``path:line module`` for each import of the application's packages under ``root``."""
    found: list[str] = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for line, module in sorted(_imported(tree)):
            if module.partition(".")[0] in APPLICATION_PACKAGES:
                found.append(f"{path.relative_to(root)}:{line} {module}")
    return found


def test_no_framework_test_imports_the_application() -> None:
    assert application_imports(SUITE) == []


def test_the_check_sees_every_kind_of_import(tmp_path: Path) -> None:
    (tmp_path / "sample.py").write_text(
        "import app.models\n"
        "from database.factories import UserFactory\n"
        "import importlib\n"
        "def later() -> None:\n"
        "    from routes import api\n"
        "    importlib.import_module('config.app')\n"
        "from . import helpers\n"
        "import apps, configparser, foundry.database\n"
    )

    assert application_imports(tmp_path) == [
        "sample.py:1 app.models",
        "sample.py:2 database.factories",
        "sample.py:5 routes",
        "sample.py:6 config.app",
    ]
