"""An S3-compatible server for the storage tests: moto's standalone server in a child process.

Locally the S3 tests are skipped when moto is not installed; under ``CI=true`` they fail
instead, as the PostgreSQL and Redis tests do when their servers are missing.
"""

from __future__ import annotations

import importlib.util
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

__all__ = ["S3Server", "moto_available", "s3_server"]

#: moto accepts any credentials; these are what the tests sign with.
ACCESS_KEY = "foundry-test"
SECRET_KEY = "foundry-test-secret"
REGION = "us-east-1"


@dataclass(frozen=True, slots=True)
class S3Server:
    """A running S3-compatible server."""

    endpoint: str
    process: subprocess.Popen[bytes]


def moto_available() -> bool:
    """Whether moto's server can be started (``pip install 'moto[server]'``)."""
    return (
        importlib.util.find_spec("moto") is not None
        and importlib.util.find_spec("flask") is not None
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def s3_server(log: Path) -> Iterator[S3Server]:
    """Run moto's S3 server on a free port until the block ends; its output goes to ``log``."""
    port = _free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"moto's server exited: {log.read_text(errors='replace')}")
            try:
                httpx.get(f"{endpoint}/moto-api/", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError("moto's server did not answer within 60 seconds")
                time.sleep(0.1)
        yield S3Server(endpoint, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
