"""``REVERB_ALLOWED_ORIGINS`` as an operator writes it: a comma list, read and enforced."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import websockets
from websockets.typing import Origin

from foundry.config.broadcasting import BroadcastingSettings
from tests.foundry.broadcasting.conftest import KEY, broadcasting_env, database_copy
from tests.support.live_server import live_server


@pytest.mark.parametrize(
    "value",
    [
        "https://app.example.com",
        "https://app.example.com, https://admin.example.com",
        '["https://app.example.com", "https://admin.example.com"]',
    ],
)
def test_a_comma_list_or_a_json_list_is_read(value: str) -> None:
    settings = BroadcastingSettings.model_validate({"REVERB_ALLOWED_ORIGINS": value})

    assert settings.allowed_origins[0] == "https://app.example.com"
    assert len(settings.allowed_origins) == value.count(",") + 1


async def _first_frame(url: str, origin: str) -> dict[str, object]:
    socket_url = url.replace("http://", "ws://", 1) + f"/app/{KEY}?protocol=7"
    async with websockets.connect(socket_url, origin=Origin(origin), open_timeout=10) as connection:
        frame: dict[str, object] = json.loads(await connection.recv())
        return frame


async def test_a_server_started_with_one_origin_accepts_it_and_refuses_others(
    database_template: Path, tmp_path: Path
) -> None:
    env = broadcasting_env(
        database_copy(database_template, tmp_path), REVERB_ALLOWED_ORIGINS="https://app.example.com"
    )
    with live_server(env, tmp_path / "server.log") as live:
        allowed = await _first_frame(live.url, "https://app.example.com")
        refused = await _first_frame(live.url, "https://evil.example.com")

    assert allowed["event"] == "pusher:connection_established"
    assert refused["event"] == "pusher:error"
    assert json.loads(str(refused["data"]))["code"] == 4009
