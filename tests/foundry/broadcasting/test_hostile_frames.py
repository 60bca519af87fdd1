"""Frames a hostile client sends: each gets the protocol's error and the connection lives on."""

from __future__ import annotations

import hashlib
import hmac
import json

from tests.foundry.broadcasting.conftest import KEY, SECRET, BroadcastApp
from tests.support.pusher_socket import pusher_socket


def _signed(socket_id: str, channel: str, channel_data: str) -> str:
    digest = hmac.new(
        SECRET.encode(), f"{socket_id}:{channel}:{channel_data}".encode(), hashlib.sha256
    ).hexdigest()
    return f"{KEY}:{digest}"


async def test_json_nested_too_deeply_is_a_format_error_not_a_dropped_connection(
    app: BroadcastApp,
) -> None:
    async with pusher_socket(app.url, KEY) as socket:
        # 8,000 bytes, under the 10,000-byte frame limit, nested past the recursion limit.
        await socket.connection.send("[" * 4000 + "]" * 4000)
        assert (await socket.next())["data"]["code"] == 4200
        # The same inside a frame's ``data`` string, which clients may send encoded.
        deep = json.dumps({"event": "pusher:subscribe", "data": "[" * 3000 + "]" * 3000})
        await socket.connection.send(deep)
        assert (await socket.next())["data"]["code"] == 4200
        await socket.send("pusher:ping")
        assert (await socket.next())["event"] == "pusher:pong"


async def test_presence_channel_data_with_a_deep_or_non_scalar_user_id_is_refused(
    app: BroadcastApp,
) -> None:
    channel = "presence-chat.lobby"
    async with pusher_socket(app.url, KEY) as socket:
        for channel_data in ("[" * 3000 + "]" * 3000, '{"user_id": {"a": 1}}'):
            await socket.send(
                "pusher:subscribe",
                {
                    "channel": channel,
                    "auth": _signed(socket.socket_id, channel, channel_data),
                    "channel_data": channel_data,
                },
            )
            assert (await socket.next())["data"]["code"] == 4009
        await socket.send("pusher:ping")
        assert (await socket.next())["event"] == "pusher:pong"


async def test_one_connection_subscribes_to_at_most_max_channels(app: BroadcastApp) -> None:
    async with pusher_socket(app.url, KEY) as socket:
        for number in range(100):  # REVERB_MAX_CHANNELS
            await socket.send("pusher:subscribe", {"channel": f"news.{number}"})
            assert (await socket.next())["event"] == "pusher_internal:subscription_succeeded"
        await socket.send("pusher:subscribe", {"channel": "news.100"})
        refused = await socket.next()
        assert refused["event"] == "pusher:error"
        assert refused["data"] == {"code": 4300, "message": "Too many channels for one connection"}
        # A channel it is on already is no new one; leaving one makes room.
        await socket.send("pusher:subscribe", {"channel": "news.7"})
        assert (await socket.next())["event"] == "pusher_internal:subscription_succeeded"
        await socket.send("pusher:unsubscribe", {"channel": "news.0"})
        await socket.send("pusher:subscribe", {"channel": "news.100"})
        assert (await socket.next())["event"] == "pusher_internal:subscription_succeeded"
