"""Running artisan in-process (typer's CliRunner) and in a subprocess, for both suites."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping

from typer.testing import CliRunner, Result

from foundry.config.base import BASE_PATH
from foundry.console.kernel import build_artisan
from foundry.console.registry import CommandRegistry

__all__ = ["artisan", "artisan_process"]


def artisan(
    *args: str, env: Mapping[str, str | None] | None = None, registry: CommandRegistry | None = None
) -> Result:
    """Run ``artisan ARGS`` in this process; stdout and stderr are captured separately."""
    return CliRunner().invoke(build_artisan(registry), list(args), env=env, prog_name="artisan")


def artisan_process(
    *args: str, env: Mapping[str, str] | None = None, python_flags: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m foundry.console ARGS`` in a fresh interpreter, from the project root."""
    return subprocess.run(
        [sys.executable, *python_flags, "-m", "foundry.console", *args],
        cwd=BASE_PATH,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=120,
    )
