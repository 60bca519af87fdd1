"""An S3 server that is down or frozen: a 503 with the JSON error shape, never a 500 or a hang."""

from __future__ import annotations

import json
import socket
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncConnection

from foundry.http.app import create_app
from foundry.http.kernel import HttpKernel
from foundry.kernel.application import Application
from foundry.storage import Storage, StorageManager
from foundry.storage.errors import StorageUnavailableError
from foundry.testing import TestClient
from tests.conftest import MakeApplication
from tests.foundry.storage.conftest import APP_KEY

router = APIRouter()


@router.get("/reports/{disk}")
async def read_report(disk: str) -> dict[str, int]:
    return {"size": len(await Storage.disk(disk).get("reports/today.txt"))}


@pytest.fixture
def closed_port() -> int:
    """A port nothing listens on: connections are refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def frozen_port() -> Iterator[int]:
    """A port whose server accepts connections (the kernel's backlog) and never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(16)
        yield int(server.getsockname()[1])


def _disk(port: int) -> dict[str, object]:
    return {
        "driver": "s3",
        "key": "test",
        "secret": "test",
        "bucket": "uploads",
        "endpoint": f"http://127.0.0.1:{port}",
        "use_path_style_endpoint": True,
        "connect_timeout": 1,
        "read_timeout": 0.5,
        "max_attempts": 1,
    }


@pytest.fixture
def application(
    make_application: MakeApplication,
    database_url: str,
    tmp_path: Path,
    closed_port: int,
    frozen_port: int,
) -> Application:
    disks = {"down": _disk(closed_port), "frozen": _disk(frozen_port)}
    return make_application(
        DATABASE_URL=database_url,
        APP_KEY=APP_KEY,
        FILESYSTEM_LOCAL_ROOT=str(tmp_path / "private"),
        FILESYSTEM_PUBLIC_ROOT=str(tmp_path / "public"),
        FILESYSTEM_DISKS=json.dumps(disks),
    )


@pytest.fixture
async def api(application: Application, db: AsyncConnection) -> AsyncIterator[TestClient]:
    app = create_app(application)
    HttpKernel.of(app).include(router, group="api", prefix="/api")
    async with TestClient(app) as client:
        yield client


@pytest.mark.parametrize("disk", ["down", "frozen"])
async def test_an_unreachable_s3_server_is_a_503_with_retry_after(
    api: TestClient, disk: str
) -> None:
    response = await api.get(f"/api/reports/{disk}")

    response.assert_status(503)
    assert response.json()["error"] == "storage_unavailable"
    assert response.headers["retry-after"] == "5"
    assert "127.0.0.1" not in response.text  # the server's address stays out of the answer


async def test_writes_to_a_down_server_raise_the_outage_error(application: Application) -> None:
    disk = application.container.make(StorageManager).disk("down")

    with pytest.raises(StorageUnavailableError):
        await disk.put("reports/today.txt", "hello")
    with pytest.raises(StorageUnavailableError):
        await disk.files("reports")
