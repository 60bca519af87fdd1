"""A copy of this project in a temporary folder, for tests that run generators and then the
copy's own commands (artisan, pytest, mypy) as a user of a fresh clone would."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from foundry.config.base import BASE_PATH

__all__ = ["copy_mypy_cache", "copy_project", "run_in_copy"]

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


def copy_mypy_cache(root: Path) -> None:
    """Give the copy this project's mypy cache, if there is one (``make ci`` type-checks before
    it tests): third-party packages and the framework's unchanged modules are not analysed again,
    while every file a test writes is new to the cache and checked in full."""
    if (BASE_PATH / ".mypy_cache").is_dir():
        shutil.copytree(BASE_PATH / ".mypy_cache", root / ".mypy_cache", dirs_exist_ok=True)


def run_in_copy(root: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """Run ``command`` in the copy, on SQLite only: no CI, no servers, no setting of this run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "APP_", "CI"))}
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=300)
