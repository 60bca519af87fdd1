"""A notification sent at once in a request while its receiver is down: a 503, not a 500."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator
from typing import Any

import pytest
from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncConnection

from foundry.http.app import create_app
from foundry.http.kernel import HttpKernel
from foundry.notifications import Notification
from foundry.notifications.channels.slack import SlackMessage
from foundry.testing import TestClient
from tests.conftest import MakeApplication
from tests.foundry.notifications.channels.conftest import FAST


class Deployed(Notification):
    def via(self, notifiable: Any) -> list[str]:
        return ["slack"]

    def to_slack(self, notifiable: Any) -> SlackMessage:
        return SlackMessage("Deployed")


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


WEBHOOK = f"http://127.0.0.1:{_closed_port()}/services/T0/B0/SECRETPATH"
router = APIRouter()


@router.post("/deploys")
async def deploy() -> dict[str, bool]:
    await Notification.route("slack", WEBHOOK).notify(Deployed())
    return {"ok": True}


@pytest.fixture
async def api(
    make_application: MakeApplication, database_url: str, db: AsyncConnection
) -> AsyncIterator[TestClient]:
    app = create_app(make_application(DATABASE_URL=database_url, **FAST))
    HttpKernel.of(app).include(router, group="api", prefix="/api")
    async with TestClient(app) as client:
        yield client


async def test_an_unreachable_slack_webhook_is_a_503_without_its_url(api: TestClient) -> None:
    response = await api.post("/api/deploys")

    response.assert_status(503)
    assert response.json()["error"] == "notification_unavailable"
    assert response.headers["retry-after"] == "5"
    assert "SECRETPATH" not in response.text and "127.0.0.1" not in response.text
