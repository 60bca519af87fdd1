"""Every generated kind passes black, isort and ``mypy --strict`` unchanged, and imports.

The generators write into a new, empty application (its packages, with the framework, the
``stubs`` and the tool settings copied beside them), so the generated code is checked as it
would be in a project, whatever the project's own application holds.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from foundry.config.base import BASE_PATH
from tests.foundry.console.helpers import artisan
from tests.support.project_copy import copy_mypy_cache

_BIN = Path(sys.executable).parent
_COPIED = ("foundry", "stubs")
_SETTINGS = ("mypy.ini", "pyproject.toml")
#: The packages of an empty application, where the generators write.
_PACKAGES = (
    "app",
    "app/models",
    "app/http",
    "app/http/controllers",
    "app/http/requests",
    "app/http/resources",
    "app/http/middleware",
    "app/services",
    "app/policies",
    "app/observers",
    "app/jobs",
    "app/providers",
    "app/console",
    "app/console/commands",
    "database",
    "database/factories",
    "database/seeders",
)

GENERATE: list[tuple[str, ...]] = [
    ("make:model", "BlogPost", "--all"),
    ("make:model", "Tag"),
    ("make:controller", "PagesController"),
    ("make:controller", "TagController", "--resource"),
    ("make:service", "Billing"),
    ("make:request", "LoginRequest"),
    ("make:resource", "TagCollection"),
    ("make:resource", "Plain"),
    ("make:policy", "Generic"),
    ("make:observer", "BlogPostObserver", "--model", "BlogPost"),
    ("make:observer", "AuditObserver"),
    ("make:factory", "TagFactory"),
    ("make:seeder", "PlainSeeder"),
    ("make:middleware", "Timing"),
    ("make:command", "SendEmails"),
    ("make:job", "SendWelcomeEmail"),
    ("make:provider", "BillingServiceProvider"),
    ("make:model", "Person", "--all"),
    ("make:event", "OrderShipped"),
    ("make:listener", "NotifyWarehouse", "--event", "OrderShipped", "--queued"),
    ("make:listener", "SendShippedNotice", "--event", "OrderShipped"),
    ("make:listener", "AuditEverything"),
    ("make:mail", "OrderShippedMail"),
    ("make:rule", "Uppercase"),
    ("make:exception", "PaymentFailedException", "--status", "402"),
    ("make:enum", "PostStatus"),
    ("make:enum", "Priority", "--int"),
    ("make:scope", "PublishedScope"),
    ("make:cast", "Money"),
]


def _new_project(root: Path) -> None:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.sqlite")
    for folder in _COPIED:
        shutil.copytree(BASE_PATH / folder, root / folder, ignore=ignore)
    for name in _SETTINGS:
        shutil.copy2(BASE_PATH / name, root / name)
    for package in _PACKAGES:
        (root / package).mkdir(parents=True)
        (root / package / "__init__.py").write_text("")
    (root / "database/migrations/versions").mkdir(parents=True)
    copy_mypy_cache(root)


def _run(root: Path, *command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=root, capture_output=True, text=True, timeout=120)


def test_every_generated_kind_is_formatted_typed_and_importable(tmp_path: Path) -> None:
    root = tmp_path / "project"
    _new_project(root)
    before = {path for path in root.rglob("*.py")}

    for args in GENERATE:
        result = artisan(*args, "--path", str(root))
        assert result.exit_code == 0, (args, result.stderr)

    generated = sorted(
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path not in before or path.name == "__init__.py" and "models" in path.parts
    )
    assert len(generated) >= 45, generated

    black = _run(root, str(_BIN / "black"), "--check", *generated)
    assert black.returncode == 0, black.stderr
    isort = _run(root, str(_BIN / "isort"), "--check-only", *generated)
    assert isort.returncode == 0, isort.stdout + isort.stderr
    mypy = _run(root, str(_BIN / "mypy"), *generated)
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr
    assert "Success: no issues found" in mypy.stdout

    modules = [
        name.removesuffix(".py").replace("/", ".") for name in generated if "migrations" not in name
    ]
    imported = _run(root, sys.executable, "-c", "import " + ", ".join(modules))
    assert imported.returncode == 0, imported.stderr
