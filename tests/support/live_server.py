"""The app served by uvicorn in a child process, for tests that need a real server (browsers,
real HTTP clients, logs as they reach stderr)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from foundry.config.base import BASE_PATH

__all__ = ["LiveServer", "free_port", "live_server"]


@dataclass(frozen=True, slots=True)
class LiveServer:
    """The app served by uvicorn in a child process."""

    url: str
    process: subprocess.Popen[str]
    log: Path


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def live_server(
    env: Mapping[str, str],
    log: Path,
    app: str = "foundry.http.app:app",
    port: int | None = None,
) -> Iterator[LiveServer]:
    """Serve ``app`` (the project's application by default) on a free port until the block ends.

    ``env`` is added to this process's environment; the server's output goes to ``log``. Pass
    ``port`` (from :func:`free_port`) when the settings must name it (``WEBAUTHN_ORIGINS``).
    """
    port = port or free_port()
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", app, "--host", "127.0.0.1", "--port", str(port)],
            cwd=BASE_PATH,
            env={**os.environ, **env},
            stdout=out,
            stderr=subprocess.STDOUT,
            text=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(url + "/health", timeout=1).raise_for_status()
                break
            except httpx.TransportError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"the server did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.1)
        yield LiveServer(url, process, log)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
