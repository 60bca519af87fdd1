"""Running ``artisan queue:work`` in child processes for the delivery tests."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path

from foundry.config.base import BASE_PATH

__all__ = [
    "kill_group",
    "kill_when",
    "labels_in",
    "start_worker",
    "stop_worker",
    "wait_for",
]


def start_worker(env: Mapping[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    """``python -m foundry.console queue:work ARGS`` with ``env`` added, in its own process group
    (rq's scheduler is a child process), logging to ``log``."""
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "foundry.console", "queue:work", *args],
            cwd=BASE_PATH,
            env={**os.environ, **env},
            stdout=subprocess.DEVNULL,
            stderr=out,
            start_new_session=True,
        )


def kill_group(process: subprocess.Popen[bytes], signum: int = signal.SIGKILL) -> None:
    """Send ``signum`` to the worker and every process it started, and reap the worker."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)
    process.wait(30)


def kill_when(
    env: Mapping[str, str], log: Path, args: tuple[str, ...], reached: Callable[[], bool]
) -> None:
    """Run a worker until ``reached()`` holds, then SIGKILL it and its children: mid-job, as a
    crash or an OOM kill would."""
    worker = start_worker(env, log, *args)
    try:
        assert wait_for(reached, 60), f"the worker never got there: {log.read_text()[-3000:]}"
    finally:
        kill_group(worker)


def stop_worker(process: subprocess.Popen[bytes], log: Path, seconds: float = 60) -> int:
    """SIGTERM the worker and wait for its graceful stop; its exit code.

    A worker still running after ``seconds`` is killed with its process group (so it cannot
    outlive the test and disturb the next one) and the test fails with the end of its log.
    """
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(seconds)
    except subprocess.TimeoutExpired:
        kill_group(process)
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise AssertionError(f"the worker ignored SIGTERM for {seconds:g} s:\n{tail}") from None


def labels_in(path: Path) -> list[str]:
    """The labels the sample jobs wrote so far."""
    if not path.exists():
        return []
    return [line for line in path.read_text(encoding="utf-8").splitlines() if line]


def wait_for(check: object, seconds: float) -> bool:
    """Poll ``check()`` until it is true or ``seconds`` pass; whether it became true."""
    assert callable(check)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return bool(check())
