"""Two server processes share channels through Redis; silent clients are pinged, then dropped."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from foundry.broadcasting.signatures import sign_api_request
from tests.foundry.broadcasting.conftest import (
    APP_ID,
    KEY,
    SECRET,
    BroadcastApp,
    broadcasting_env,
    database_copy,
    login,
)
from tests.support.live_server import LiveServer, live_server
from tests.support.pusher_socket import PusherSocket, pusher_socket
from tests.support.services import TEST_REDIS_URL, delete_redis_prefix


@pytest.fixture(scope="module")
def two_servers(
    tmp_path_factory: pytest.TempPathFactory, database_template: Path
) -> Iterator[list[BroadcastApp]]:
    """Two server processes on one database and one Redis, with scaling on."""
    if not TEST_REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")
    tmp = tmp_path_factory.mktemp("scaling")
    prefix = f"foundry-test:{secrets.token_hex(8)}:"
    env = broadcasting_env(
        database_copy(database_template, tmp),
        REDIS_URL=TEST_REDIS_URL,
        REDIS_PREFIX=prefix,
        REVERB_SCALING_ENABLED="true",
    )
    with ExitStack() as stack:
        stack.callback(lambda: asyncio.run(delete_redis_prefix(TEST_REDIS_URL, prefix)))
        lives: list[LiveServer] = [
            stack.enter_context(live_server(env, tmp / f"server-{n}.log")) for n in (1, 2)
        ]
        yield [
            BroadcastApp(
                live, env, login(live.url, "ada@example.com"), login(live.url, "bob@example.com")
            )
            for live in lives
        ]


async def join(app: BroadcastApp, socket: PusherSocket, token: str, channel: str) -> dict[str, Any]:
    signed = httpx.post(
        app.url + "/broadcasting/auth",
        data={"socket_id": socket.socket_id, "channel_name": channel},
        headers={"Authorization": f"Bearer {token}"},
    ).json()
    answer = await socket.subscribe(channel, signed["auth"], signed.get("channel_data"))
    assert answer["event"] == "pusher_internal:subscription_succeeded", answer
    return answer


async def test_an_event_sent_to_one_process_reaches_clients_of_the_other(
    two_servers: list[BroadcastApp],
) -> None:
    one, two = two_servers
    async with pusher_socket(one.url, KEY) as on_one, pusher_socket(two.url, KEY) as on_two:
        await on_one.subscribe("news")
        await on_two.subscribe("news")
        two.pusher().trigger("news", "Published", {"id": 1})
        for socket in (on_one, on_two):
            assert (await socket.next("Published"))["data"] == {"id": 1}
        # to_others across processes: the socket id excluded lives on the other process.
        one.pusher().trigger("news", "Edited", {"id": 1}, socket_id=on_two.socket_id)
        assert (await on_one.next("Edited"))["data"] == {"id": 1}
        assert await on_two.nothing_within(0.5)


async def test_presence_and_client_events_cross_processes(two_servers: list[BroadcastApp]) -> None:
    one, two = two_servers
    async with pusher_socket(one.url, KEY) as ada:
        await join(one, ada, one.ada, "presence-chat.lobby")
        async with pusher_socket(two.url, KEY) as bob:
            await join(two, bob, two.bob, "presence-chat.lobby")
            added = await ada.next("pusher_internal:member_added")
            assert added["data"] == {"user_id": "2", "user_info": {"name": "Bob"}}
            await bob.send("client-typing", {"on": True}, channel="presence-chat.lobby")
            assert (await ada.next("client-typing"))["user_id"] == "2"
        removed = await ada.next("pusher_internal:member_removed")
        assert removed["data"] == {"user_id": "2"}


async def test_a_presence_member_on_one_process_is_listed_by_the_other(
    two_servers: list[BroadcastApp],
) -> None:
    one, two = two_servers
    channel = "presence-chat.everywhere"
    async with pusher_socket(two.url, KEY) as bob:
        async with pusher_socket(one.url, KEY) as ada:
            await join(one, ada, one.ada, channel)
            # Asked of the process Ada is not connected to.
            api = two.pusher()
            assert api.users_info(channel) == {"users": [{"id": "1"}]}
            assert api.channel_info(channel, ["user_count"]) == {
                "occupied": True,
                "user_count": 1,
            }
            assert api.channels_info(
                prefix_filter="presence-chat.every", attributes=["user_count"]
            ) == {"channels": {channel: {"user_count": 1}}}
            # Bob, on the other process, is told Ada is there when he joins.
            presence = (await join(two, bob, two.bob, channel))["data"]["presence"]
            assert sorted(presence["ids"]) == ["1", "2"] and presence["count"] == 2
            assert sorted(presence["hash"]) == ["1", "2"]
            assert (await ada.next("pusher_internal:member_added"))["data"]["user_id"] == "2"
            assert one.pusher().channel_info(channel, ["user_count"])["user_count"] == 2
        # Ada's connection closes: Bob hears it, and neither process lists her any more.
        assert (await bob.next("pusher_internal:member_removed"))["data"] == {"user_id": "1"}
        assert two.pusher().users_info(channel) == {"users": [{"id": "2"}]}
        assert one.pusher().users_info(channel) == {"users": [{"id": "2"}]}
    # Bob's connection closing is handled after the client side has gone: wait for it.
    async with asyncio.timeout(10):
        while one.pusher().channel_info(channel, ["user_count"]) != {"occupied": False}:
            await asyncio.sleep(0.05)


async def test_subscriptions_are_counted_over_both_processes(
    two_servers: list[BroadcastApp],
) -> None:
    one, two = two_servers
    async with pusher_socket(one.url, KEY) as first, pusher_socket(two.url, KEY) as second:
        await first.subscribe("tally.both")
        await second.subscribe("tally.both")
        await second.subscribe("tally.second-only")
        assert one.pusher().channel_info("tally.both", ["subscription_count"]) == {
            "occupied": True,
            "subscription_count": 2,
        }
        assert one.pusher().channels_info(prefix_filter="tally.") == {
            "channels": {"tally.both": {}, "tally.second-only": {}}
        }
        # The official library cannot ask for ``info`` when triggering; sign the call by hand.
        path = f"/apps/{APP_ID}/events"
        body = json.dumps(
            {
                "name": "Counted",
                "channels": ["tally.both"],
                "data": "{}",
                "info": "subscription_count",
            }
        ).encode()
        params = sign_api_request(KEY, SECRET, "POST", path, body=body)
        answer = httpx.post(two.url + path, params=params, content=body)
        assert answer.json() == {
            "channels": {"tally.both": {"occupied": True, "subscription_count": 2}}
        }
        await second.send("pusher:unsubscribe", {"channel": "tally.both"})
        await second.send("pusher:ping")
        await second.next("pusher:pong")  # the unsubscribe was handled before the ping
        assert two.pusher().channel_info("tally.both", ["subscription_count"]) == {
            "occupied": True,
            "subscription_count": 1,
        }


async def test_a_user_connected_to_both_processes_is_announced_once(
    two_servers: list[BroadcastApp],
) -> None:
    one, two = two_servers
    channel = "presence-chat.twice"
    async with pusher_socket(two.url, KEY) as bob:
        await join(two, bob, two.bob, channel)
        async with pusher_socket(one.url, KEY) as ada_on_one:
            await join(one, ada_on_one, one.ada, channel)
            assert (await bob.next("pusher_internal:member_added"))["data"]["user_id"] == "1"
            async with pusher_socket(two.url, KEY) as ada_on_two:
                presence = (await join(two, ada_on_two, two.ada, channel))["data"]["presence"]
                assert presence["count"] == 2
                await ada_on_two.subscribe("probe.twice")
            # Once the probe channel is empty, the second connection has left the presence
            # channel too (channels are left in the order they were joined).
            while one.pusher().channel_info("probe.twice")["occupied"]:
                await asyncio.sleep(0.05)
            # Ada is still on process one: her second connection coming and going announced
            # nothing, so the next thing Bob hears is this event.
            one.pusher().trigger(channel, "Marker", {})
            assert (await bob.next())["event"] == "Marker"
            users = two.pusher().users_info(channel)["users"]
            assert sorted(user["id"] for user in users) == ["1", "2"]
        assert (await bob.next("pusher_internal:member_removed"))["data"] == {"user_id": "1"}


@pytest.fixture(scope="module")
def impatient(
    tmp_path_factory: pytest.TempPathFactory, database_template: Path
) -> Iterator[LiveServer]:
    """A server that pings after 1 s of silence and gives up 1 s later."""
    tmp = tmp_path_factory.mktemp("impatient")
    database = database_copy(database_template, tmp)
    env = broadcasting_env(database, REVERB_ACTIVITY_TIMEOUT="1", REVERB_PONG_TIMEOUT="1")
    with live_server(env, tmp / "server.log") as live:
        yield live


async def test_a_silent_client_is_pinged_then_disconnected_with_4201(
    impatient: LiveServer,
) -> None:
    async with pusher_socket(impatient.url, KEY) as socket:
        assert socket.established["data"]["activity_timeout"] == 1
        assert (await socket.next(timeout=5))["event"] == "pusher:ping"
        error = await socket.next(timeout=5)
        assert error["event"] == "pusher:error" and error["data"]["code"] == 4201
        await socket.connection.wait_closed()
        assert socket.connection.close_code == 4201


async def test_a_client_that_answers_pings_stays_connected(impatient: LiveServer) -> None:
    async with pusher_socket(impatient.url, KEY) as socket:
        for _ in range(3):
            assert (await socket.next(timeout=5))["event"] == "pusher:ping"
            await socket.send("pusher:pong")
        await socket.send("pusher:ping")
        assert (await socket.next("pusher:pong", timeout=5))["event"] == "pusher:pong"
