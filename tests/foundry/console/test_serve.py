"""``serve``: uvicorn serving the app until stopped."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from foundry.config.base import BASE_PATH
from tests.foundry.console.helpers import artisan


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_serve_answers_health_until_interrupted(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'serve.sqlite'}"}
    process = subprocess.Popen(
        [sys.executable, "-m", "foundry.console", "serve", "--port", str(port)],
        cwd=BASE_PATH,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        status = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            try:
                status = httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert status == 200
    finally:
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)

    assert process.returncode == 0, stderr
    assert f"Server running on [http://127.0.0.1:{port}]" in stdout


def test_uvicorn_does_not_believe_x_forwarded_for_on_its_own(tmp_path: Path) -> None:
    # uvicorn trusts X-Forwarded-For from 127.0.0.1 unless told not to: `serve` must leave the
    # decision to TRUSTED_PROXIES (empty here), so the access log names the real peer.
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'serve.sqlite'}",
        "LOG_FORMAT": "json",
        "LOG_STREAM": "stdout",
    }
    env.pop("TRUSTED_PROXIES", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "foundry.console", "serve", "--port", str(port)],
        cwd=BASE_PATH,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        status = None
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and process.poll() is None:
            try:
                status = httpx.get(
                    f"http://127.0.0.1:{port}/health",
                    headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"},
                    timeout=1,
                ).status_code
                break
            except httpx.TransportError:
                time.sleep(0.1)
        assert status == 200
    finally:
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=30)

    access = [
        json.loads(line)
        for line in (stdout + stderr).splitlines()
        if line.startswith("{") and '"foundry.http.access"' in line
    ]
    assert access, stdout + stderr
    assert {line["client"] for line in access} == {"127.0.0.1"}


def test_reload_and_several_workers_do_not_mix() -> None:
    result = artisan("serve", "--reload", "--workers", "2")

    assert result.exit_code == 1
    assert "--reload runs a single process" in result.stderr


def test_a_port_out_of_range_is_a_usage_error() -> None:
    result = artisan("serve", "--port", "70000")

    assert result.exit_code == 2
