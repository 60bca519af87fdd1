"""The Redis channel directory: what a process that crashed leaves behind disappears by itself."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from foundry.broadcasting.channels import LocalChannels, Member
from foundry.broadcasting.directory import RedisDirectory
from tests.support.services import TEST_REDIS_URL, delete_redis_prefix


class Socket:
    """A subscriber that only needs an id: nothing is delivered in these tests."""

    def __init__(self, socket_id: str) -> None:
        self.socket_id = socket_id

    async def send(self, text: str) -> None:
        raise AssertionError(f"nothing should be sent, got {text}")


@pytest.fixture
async def redis() -> AsyncIterator[tuple[Redis, str]]:
    """A client of the test Redis and a key namespace of this test's own, deleted afterwards."""
    if not TEST_REDIS_URL:
        pytest.skip("TEST_REDIS_URL is not set")
    namespace = f"foundry-test:{secrets.token_hex(8)}:broadcasting:"
    client = Redis.from_url(TEST_REDIS_URL)
    try:
        yield client, namespace
    finally:
        await client.aclose()
        await delete_redis_prefix(TEST_REDIS_URL, namespace)


async def _until_gone(directory: RedisDirectory, channel: str) -> None:
    async with asyncio.timeout(15):
        while (await directory.channel(channel)).occupied:
            await asyncio.sleep(0.1)


async def test_a_crashed_process_drops_out_of_the_member_lists(
    redis: tuple[Redis, str],
) -> None:
    client, namespace = redis
    crashed_channels = LocalChannels()
    crashed = RedisDirectory(client, namespace, crashed_channels, ttl=1)
    survivor = RedisDirectory(client, namespace, LocalChannels(), ttl=1)
    crashed_channels.subscribe(Socket("1.1"), "presence-room", Member("7", {"name": "Ann"}))
    await crashed.record("presence-room")
    seen = await survivor.channel("presence-room")
    assert seen.users == {"7": {"name": "Ann"}} and seen.subscriptions == 1

    # No heartbeat and no goodbye, as after a kill -9: the entry expires.
    await _until_gone(survivor, "presence-room")
    assert await survivor.channels() == {}
    assert await client.smembers(namespace + "processes") == set()


async def test_a_live_process_keeps_its_members_listed_past_the_expiry(
    redis: tuple[Redis, str],
) -> None:
    client, namespace = redis
    channels = LocalChannels()
    live = RedisDirectory(client, namespace, channels, ttl=1)
    reader = RedisDirectory(client, namespace, LocalChannels(), ttl=1)
    channels.subscribe(Socket("1.1"), "presence-room", Member("7"))
    await live.start()
    try:
        await asyncio.sleep(2.5)  # more than twice the expiry: only the heartbeat keeps it
        assert (await reader.channel("presence-room")).users == {"7": None}
    finally:
        await live.stop()
    # A clean stop withdraws the state at once.
    assert await reader.channels() == {}


async def test_leaving_on_one_process_while_present_on_another_is_not_a_departure(
    redis: tuple[Redis, str],
) -> None:
    client, namespace = redis
    here_channels, there_channels = LocalChannels(), LocalChannels()
    here = RedisDirectory(client, namespace, here_channels)
    there = RedisDirectory(client, namespace, there_channels)
    here_socket, there_socket = Socket("1.1"), Socket("2.2")
    here_channels.subscribe(here_socket, "presence-room", Member("7"))
    assert await here.record("presence-room", others=True) == []
    there_channels.subscribe(there_socket, "presence-room", Member("7"))
    others = await there.record("presence-room", others=True)
    assert [summary.users for summary in others] == [{"7": None}]  # already there: no announce

    there_channels.unsubscribe(there_socket, "presence-room")
    others = await there.record("presence-room", others=True)
    assert [summary.users for summary in others] == [{"7": None}]  # still here: no departure
    here_channels.unsubscribe(here_socket, "presence-room")
    assert await here.record("presence-room", others=True) == []  # gone everywhere
    assert await here.channels() == {}
