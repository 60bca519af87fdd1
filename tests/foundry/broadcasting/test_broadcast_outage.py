"""Broadcasting at once while the broadcasting server is down: a 503, not a 500."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncConnection

from foundry.broadcasting import ShouldBroadcastNow, broadcast
from foundry.http.app import create_app
from foundry.http.kernel import HttpKernel
from foundry.testing import TestClient
from tests.conftest import MakeApplication


class PriceChanged(ShouldBroadcastNow):
    def broadcast_on(self) -> str:
        return "prices"


router = APIRouter()


@router.post("/prices")
async def change_price() -> dict[str, bool]:
    await broadcast(PriceChanged())
    return {"ok": True}


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
async def api(
    make_application: MakeApplication,
    database_url: str,
    tmp_path: Path,
    closed_port: int,
    db: AsyncConnection,
) -> AsyncIterator[TestClient]:
    application = make_application(
        DATABASE_URL=database_url,
        BROADCAST_CONNECTION="reverb",
        REVERB_HOST="127.0.0.1",
        REVERB_PORT=str(closed_port),
        REVERB_APP_SECRET="test-secret",
    )
    app = create_app(application)
    HttpKernel.of(app).include(router, group="api", prefix="/api")
    async with TestClient(app) as client:
        yield client


async def test_an_unreachable_broadcasting_server_is_a_503(api: TestClient) -> None:
    response = await api.post("/api/prices")

    response.assert_status(503)
    assert response.json()["error"] == "broadcasting_unavailable"
    assert response.headers["retry-after"] == "5"
    assert "127.0.0.1" not in response.text
