"""``create_app`` and the lazy ``foundry.http.app:app`` that uvicorn serves."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from foundry.config.base import BASE_PATH
from foundry.http.app import create_app
from foundry.kernel.application import Application
from tests.support.live_server import LiveServer, live_server

PYTHON = sys.executable


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "QUEUE_CONNECTION"}}
    env.update(DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'app.sqlite'}", **extra)
    return env


def _run(code: str, env: dict[str, str]) -> str:
    done = subprocess.run(
        [PYTHON, "-c", code], cwd=BASE_PATH, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_importing_the_module_builds_no_app(tmp_path: Path) -> None:
    out = _run("import foundry.http.app as m; print('app' in vars(m))", _env(tmp_path))
    assert out == "False"


def test_the_app_attribute_is_built_once_on_first_use(tmp_path: Path) -> None:
    code = (
        "import foundry.http.app as m; a = m.app; "
        "print(a is m.app, type(a).__name__, type(a.state.application).__name__)"
    )
    assert _run(code, _env(tmp_path)) == "True FastAPI Application"


async def test_create_app_serves_the_given_application_and_shuts_it_down(
    make_application: Callable[..., Application],
) -> None:
    application = make_application()
    stopped: list[str] = []
    application.on_shutdown(lambda: stopped.append("stopped"))
    app = create_app(application)
    assert app.state.application is application

    async with app.router.lifespan_context(app):
        assert stopped == []
    assert stopped == ["stopped"]


@pytest.fixture
def server(tmp_path: Path) -> Iterator[LiveServer]:
    """``uvicorn foundry.http.app:app`` on a free port, with a 1 KiB body limit."""
    with live_server(_env(tmp_path, MAX_BODY_SIZE="1024"), tmp_path / "server.log") as live:
        yield live


def test_uvicorn_serves_the_app_with_json_logs(server: LiveServer) -> None:
    base, process = server.url, server.process

    with httpx.Client(base_url=base) as client:
        alive = client.get("/health", headers={"X-Request-ID": "over-the-wire"})
        too_big = client.post("/health", content=b"x" * 2048)
    assert alive.status_code == 200 and alive.headers["X-Request-ID"] == "over-the-wire"
    assert too_big.status_code == 413 and too_big.json()["error"] == "payload_too_large"

    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0
    lines = [
        json.loads(line) for line in server.log.read_text().splitlines() if line.startswith("{")
    ]
    access = [line for line in lines if line["logger"] == "foundry.http.access"]
    assert any(line["request_id"] == "over-the-wire" and line["status"] == 200 for line in access)
    # Uvicorn's own access log is replaced by ours, so each request is logged once.
    assert not any(line["logger"] == "uvicorn.access" for line in lines)
    assert any(line["logger"].startswith("uvicorn") for line in lines)
