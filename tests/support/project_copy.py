"""A copy of this project in a temporary folder, for tests that run generators and then the
copy's own commands (artisan, pytest, mypy) as a user of a fresh clone would."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from foundry.config.base import BASE_PATH

__all__ = ["copy_project", "run_in_copy"]

#: What a project's own commands and test suite need: the application, the framework, the fixtures.
_COPIED = ("foundry", "stubs", "app", "config", "database", "routes", "resources", "tests/support")
_FILES = ("mypy.ini", "pyproject.toml", "alembic.ini", "tests/__init__.py", "tests/conftest.py")


def copy_project(root: Path) -> Path:
    """Copy the project into ``root`` (without caches or SQLite files) and return ``root``."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.sqlite")
    for folder in _COPIED:
        shutil.copytree(BASE_PATH / folder, root / folder, ignore=ignore)
    for name in _FILES:
        shutil.copy2(BASE_PATH / name, root / name)
    (root / "storage").mkdir(exist_ok=True)
    return root


def run_in_copy(root: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """Run ``command`` in the copy, on SQLite only: no CI, no servers, no setting of this run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "APP_", "CI"))}
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=300)
