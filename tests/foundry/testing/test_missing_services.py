"""Without ``TEST_DATABASE_URL``/``TEST_REDIS_URL`` the tests needing those servers are left out
with one line, not one SKIPPED line each; under ``CI=true`` a missing server still fails the run
(issue 16, item 12). Each case runs pytest on two modules in a fresh interpreter, collecting only.
"""

from __future__ import annotations

import os
import subprocess
import sys

from foundry.config.base import BASE_PATH
from tests.support.nested_pytest import UNUSED_PLUGINS

#: One module parametrized over SQLite and PostgreSQL, one with Redis-marked parameters.
MODULES = ("tests/foundry/testing/test_fakes_in_requests.py", "tests/foundry/cache/test_tags.py")


def _pytest(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("TEST_", "CI", "PYTEST_"))}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            *UNUSED_PLUGINS,
            *args,
        ],
        cwd=BASE_PATH,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _collected(output: str) -> list[str]:
    return [line for line in output.splitlines() if "::" in line]


def test_without_servers_their_tests_are_left_out_with_one_line() -> None:
    run = _pytest("--collect-only", "-q", *MODULES)

    assert run.returncode == 0, run.stdout + run.stderr
    collected = _collected(run.stdout)
    assert collected and not [line for line in collected if "postgresql" in line]
    assert not [line for line in collected if "redis" in line]
    assert any("sqlite" in line for line in collected)
    assert "deselected" in run.stdout
    assert "SKIPPED" not in run.stdout

    verbose = _pytest("--collect-only", *MODULES)
    header = [line for line in verbose.stdout.splitlines() if "left out" in line]
    assert header == [
        "PostgreSQL and Redis tests left out (deselected): TEST_DATABASE_URL and TEST_REDIS_URL "
        "not set; set them (or CI=true, which requires the local servers) to run them"
    ]


def test_only_the_missing_servers_tests_are_left_out() -> None:
    run = _pytest(
        "--collect-only", "-q", *MODULES, TEST_DATABASE_URL="postgresql+asyncpg://nowhere/test"
    )

    collected = _collected(run.stdout)
    assert any("postgresql" in line for line in collected)
    assert not [line for line in collected if "redis" in line]


def test_under_ci_a_missing_server_still_fails_the_run() -> None:
    run = _pytest(
        "--collect-only",
        "-q",
        *MODULES,
        CI="true",
        TEST_DATABASE_URL="postgresql+asyncpg://postgres@127.0.0.1:1/test",
        TEST_REDIS_URL="redis://127.0.0.1:1/0",
    )

    assert run.returncode != 0
    assert "CI needs PostgreSQL, Redis and Chromium" in run.stdout + run.stderr
    assert "deselected" not in run.stdout


def test_without_chromium_the_browser_tests_are_left_out_with_one_line() -> None:
    module = "tests/foundry/dashboard/test_browser.py"
    run = _pytest("--collect-only", module, CHROMIUM_PATH="/nonexistent/chromium")

    assert run.returncode in (0, 5), run.stdout + run.stderr  # 5: nothing left to run
    assert _collected(run.stdout) == []
    assert "browser tests left out (deselected): no chromium" in run.stdout
    assert "SKIPPED" not in run.stdout
