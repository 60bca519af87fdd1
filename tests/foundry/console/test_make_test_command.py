"""``artisan make:test Name [--unit]`` (issue 16, item 12): where the module goes, and that it is
black/isort/``mypy --strict`` clean and passes as generated in a copy of the project."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.foundry.console.helpers import artisan
from tests.support.nested_pytest import UNUSED_PLUGINS
from tests.support.project_copy import copy_mypy_cache, copy_project, run_in_copy

_BIN = Path(sys.executable).parent


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
    root = copy_project(tmp_path / "project")
    copy_mypy_cache(root)
    for args in (("PublishPost",), ("Pricing", "--unit")):
        result = artisan("make:test", *args, "--path", str(root))
        assert result.exit_code == 0, result.stderr
    generated = ["tests/feature/test_publish_post.py", "tests/unit/test_pricing.py"]

    black = run_in_copy(root, str(_BIN / "black"), "--check", *generated)
    assert black.returncode == 0, black.stderr
    isort = run_in_copy(root, str(_BIN / "isort"), "--check-only", *generated)
    assert isort.returncode == 0, isort.stdout + isort.stderr
    mypy = run_in_copy(root, str(_BIN / "mypy"), *generated)
    assert mypy.returncode == 0, mypy.stdout + mypy.stderr

    pytest_run = run_in_copy(
        root, sys.executable, "-m", "pytest", "-q", "-p", "no:randomly", *UNUSED_PLUGINS, *generated
    )
    assert pytest_run.returncode == 0, pytest_run.stdout + pytest_run.stderr
    assert "2 passed" in pytest_run.stdout
