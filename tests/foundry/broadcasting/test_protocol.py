"""The Pusher protocol over a real WebSocket: what pusher-js sees from the server."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.foundry.broadcasting.conftest import KEY, BroadcastApp
from tests.support.pusher_socket import PusherSocket, pusher_socket


def channel_auth(app: BroadcastApp, token: str, socket_id: str, channel: str) -> httpx.Response:
    return httpx.post(
        app.url + "/broadcasting/auth",
        data={"socket_id": socket_id, "channel_name": channel},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


async def join(app: BroadcastApp, socket: PusherSocket, token: str, channel: str) -> dict[str, Any]:
    signed = channel_auth(app, token, socket.socket_id, channel)
    assert signed.status_code == 200, signed.text
    body = signed.json()
    return await socket.subscribe(channel, body["auth"], body.get("channel_data"))


async def test_connecting_tells_the_socket_id_and_answers_pings(app: BroadcastApp) -> None:
    async with pusher_socket(app.url, KEY) as socket:
        assert socket.established["event"] == "pusher:connection_established"
        assert socket.established["data"]["activity_timeout"] == 120
        assert socket.socket_id.count(".") == 1
        await socket.send("pusher:ping")
        assert (await socket.next())["event"] == "pusher:pong"


async def test_a_wrong_key_or_protocol_is_refused_with_the_protocol_code(app: BroadcastApp) -> None:
    async with pusher_socket(app.url, "nope") as socket:
        assert socket.established["data"]["code"] == 4001
    async with pusher_socket(app.url, KEY, query="protocol=3") as socket:
        assert socket.established["data"]["code"] == 4007


async def test_bad_frames_get_errors_and_keep_the_connection(app: BroadcastApp) -> None:
    async with pusher_socket(app.url, KEY) as socket:
        await socket.connection.send("not json")
        assert (await socket.next())["data"]["code"] == 4200
        await socket.connection.send(json.dumps({"event": "pusher:subscribe", "data": "{{"}))
        assert (await socket.next())["data"]["code"] == 4200
        await socket.send("pusher:subscribe", {"channel": "bad name!"})
        assert (await socket.next())["data"]["code"] == 4200
        await socket.connection.send("x" * 20_000)
        assert (await socket.next())["data"]["code"] == 4300
        await socket.send("pusher:ping")
        assert (await socket.next())["event"] == "pusher:pong"


async def test_a_public_channel_receives_what_the_http_api_sends(app: BroadcastApp) -> None:
    async with pusher_socket(app.url, KEY) as one, pusher_socket(app.url, KEY) as two:
        assert (await one.subscribe("news"))["event"] == "pusher_internal:subscription_succeeded"
        await two.subscribe("news")
        app.pusher().trigger(["news", "sports"], "Published", {"title": "Hello"})
        for socket in (one, two):
            frame = await socket.next("Published")
            assert frame == {"event": "Published", "channel": "news", "data": {"title": "Hello"}}
        # Excluding the connection that caused it (to_others).
        app.pusher().trigger("news", "Edited", {"id": 1}, socket_id=one.socket_id)
        assert (await two.next("Edited"))["data"] == {"id": 1}
        assert await one.nothing_within(0.5)
        await one.send("pusher:unsubscribe", {"channel": "news"})
        await one.send("pusher:ping")
        await one.next("pusher:pong")
        app.pusher().trigger("news", "Later", {})
        await two.next("Later")
        assert await one.nothing_within(0.5)


async def test_private_channels_need_a_signature_from_the_auth_endpoint(app: BroadcastApp) -> None:
    async with pusher_socket(app.url, KEY) as socket:
        refused = await socket.subscribe("private-users.1")
        assert refused["event"] == "pusher:error" and refused["data"]["code"] == 4009
        forged = await socket.subscribe("private-users.1", f"{KEY}:{'0' * 64}")
        assert forged["data"]["code"] == 4009

        assert channel_auth(app, app.bob, socket.socket_id, "private-users.1").status_code == 403
        joined = await join(app, socket, app.ada, "private-users.1")
        assert joined == {
            "event": "pusher_internal:subscription_succeeded",
            "channel": "private-users.1",
            "data": {},
        }
        app.pusher().trigger("private-users.1", "OrderShipped", {"order": 5})
        assert (await socket.next("OrderShipped"))["data"] == {"order": 5}

    async with pusher_socket(app.url, KEY) as other:
        # A signature is bound to its socket: another connection cannot reuse it.
        signed = channel_auth(app, app.ada, "123.456", "private-users.1").json()
        assert (await other.subscribe("private-users.1", signed["auth"]))["data"]["code"] == 4009


@pytest.mark.parametrize(
    ("form", "status"),
    [
        ({"socket_id": "abc", "channel_name": "private-users.1"}, 422),
        ({"socket_id": "1.2", "channel_name": "news"}, 422),
        ({"socket_id": "1.2"}, 422),
        ({"socket_id": "1.2", "channel_name": "private-unknown.1"}, 403),
    ],
)
def test_the_auth_endpoint_refuses_bad_requests_clearly(
    app: BroadcastApp, form: dict[str, str], status: int
) -> None:
    answer = httpx.post(
        app.url + "/broadcasting/auth",
        data=form,
        headers={"Authorization": f"Bearer {app.ada}"},
        timeout=10,
    )
    assert answer.status_code == status
    assert "message" in answer.json()
    # A guest is told to sign in, whatever it sent.
    anonymous = httpx.post(app.url + "/broadcasting/auth", data=form)
    assert anonymous.status_code == 401


async def test_presence_channels_list_members_and_announce_joins_and_leaves(
    app: BroadcastApp,
) -> None:
    async with pusher_socket(app.url, KEY) as ada:
        joined = await join(app, ada, app.ada, "presence-chat.lobby")
        assert joined["data"] == {
            "presence": {"ids": ["1"], "hash": {"1": {"name": "Ada"}}, "count": 1}
        }
        async with pusher_socket(app.url, KEY) as bob:
            second = await join(app, bob, app.bob, "presence-chat.lobby")
            assert second["data"]["presence"]["count"] == 2
            added = await ada.next("pusher_internal:member_added")
            assert added["data"] == {"user_id": "2", "user_info": {"name": "Bob"}}
            users = app.pusher().users_info("presence-chat.lobby")
            assert sorted(u["id"] for u in users["users"]) == ["1", "2"]
            # A second tab of Bob's is not a new member.
            async with pusher_socket(app.url, KEY) as bob_again:
                await join(app, bob_again, app.bob, "presence-chat.lobby")
            assert await ada.nothing_within(0.5)
        removed = await ada.next("pusher_internal:member_removed")
        assert removed["data"] == {"user_id": "2"}
    assert channel_auth(app, app.ada, "1.2", "presence-chat.closed").status_code == 403


async def test_client_events_reach_the_other_members_only(app: BroadcastApp) -> None:
    async with pusher_socket(app.url, KEY) as ada, pusher_socket(app.url, KEY) as bob:
        await join(app, ada, app.ada, "presence-chat.room")
        await join(app, bob, app.bob, "presence-chat.room")
        await ada.next("pusher_internal:member_added")
        await ada.send("client-typing", {"typing": True}, channel="presence-chat.room")
        frame = await bob.next("client-typing")
        assert frame["data"] == {"typing": True} and frame["user_id"] == "1"
        assert await ada.nothing_within(0.5)
        # Not on public channels, nor on a channel the client is not subscribed to.
        await ada.subscribe("news")
        await ada.send("client-typing", {}, channel="news")
        assert (await ada.next("pusher:error"))["data"]["code"] == 4009
        await ada.send("client-typing", {}, channel="presence-chat.other")
        assert (await ada.next("pusher:error"))["data"]["code"] == 4009
