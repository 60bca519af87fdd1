"""``artisan make:test Name [--unit]`` (issue 16, item 12): where the module goes, and that it is
black/isort/``mypy --strict`` clean and passes as generated in a copy of the project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from foundry.config.base import BASE_PATH
from tests.foundry.console.helpers import artisan

_BIN = Path(sys.executable).parent
#: What a project's own test suite needs: the application, the framework and the shared fixtures.
_COPIED = ("foundry", "stubs", "app", "config", "database", "routes", "resources", "tests/support")
_FILES = ("mypy.ini", "pyproject.toml", "alembic.ini", "tests/__init__.py", "tests/conftest.py")


def _project(root: Path) -> Path:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.sqlite")
    for folder in _COPIED:
        shutil.copytree(BASE_PATH / folder, root / folder, ignore=ignore)
    for name in _FILES:
        shutil.copy2(BASE_PATH / name, root / name)
    return root


def _run(root: Path, *command: str) -> subprocess.CompletedProcess[str]:
    # The copy's own suite, on SQLite only: no CI, no servers, no setting of this run.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "APP_", "CI"))}
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("PublishPost",), "tests/feature/test_publish_post.py"),
        (("PublishPostTest",), "tests/feature/test_publish_post.py"),
        (("test_publish_post",), "tests/feature/test_publish_post.py"),
        (("Pricing", "--unit"), "tests/unit/test_pricing.py"),
    ],
)
def test_the_module_is_named_for_pytest(
    tmp_path: Path, args: tuple[str, ...], expected: str
) -> None:
    result = artisan("make:test", *args, "--path", str(tmp_path))

    assert result.exit_code == 0, result.stderr
    assert (tmp_path / expected).is_file()
    assert f"File [{expected}] created successfully." in result.stdout
    # The folders on the way are packages, as the suites' folders are.
    assert (tmp_path / "tests/__init__.py").is_file()
    assert (tmp_path / Path(expected).parent / "__init__.py").is_file()


def test_an_existing_module_is_kept_without_force(tmp_path: Path) -> None:
    target = tmp_path / "tests/feature/test_publish_post.py"
    target.parent.mkdir(parents=True)
    target.write_text("# mine\n")

    refused = artisan("make:test", "PublishPost", "--path", str(tmp_path))

    assert refused.exit_code != 0
    assert "already exists" in refused.stderr + refused.stdout
    assert target.read_text() == "# mine\n"
    assert artisan("make:test", "PublishPost", "--force", "--path", str(tmp_path)).exit_code == 0
    assert "async def test_publish_post(" in target.read_text()


def test_generated_tests_are_clean_and_pass_in_the_project(tmp_path: Path) -> None:
    root = _project(tmp_path / "project")
    for args in (("PublishPost",), ("Pricing", "--unit")):
        result = artisan("make:test", *args, "--path", str(root))
        assert result.exit_code == 0, result.stderr
    generated = ["tests/feature/test_publish_post.py", "tests/unit/test_pricing.py"]

    black = _run(root, str(_BIN / "black"), "--check", *generated)
    assert black.returncode == 0, black.stderr
    isort = _run(root, str(_BIN / "isort"), "--check-only", *generated)
    assert isort.returncode == 0, isort.stdout + isort.stderr
    mypy = _run(root, str(_BIN / "mypy"), "--no-incremental", *generated)
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr

    pytest_run = _run(root, sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", *generated)
    assert pytest_run.returncode == 0, pytest_run.stdout + pytest_run.stderr
    assert "2 passed" in pytest_run.stdout
