"""Redis killed, frozen and restarted under the app: a 503 with ``Retry-After``, no hang, recovery.

The app keeps its cache (and so the token denylist), its rate-limit counters and its queue on a
Redis server of the test's own. A token whose revocation cannot be checked is not accepted: the request is
answered 503, never served.
"""

from __future__ import annotations

import logging

import pytest

from foundry.testing import TestClient
from tests.foundry.faults.conftest import (
    AUTH,
    LOW_TIMEOUTS,
    PASSWORD,
    answered,
    assert_unavailable,
    bearer,
    login,
    register,
)
from tests.foundry.feature.conftest import MakeHttpApp
from tests.foundry.support.throwaway import ThrowawayRedis


def redis_app_env(redis: ThrowawayRedis, database_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis.url,
        "CACHE_STORE": "redis",
        "RATE_LIMIT_STORE": "redis",
        "QUEUE_CONNECTION": "redis",
        **LOW_TIMEOUTS,
    }


async def test_redis_down_is_a_503_everywhere_it_is_needed(
    make_http_app: MakeHttpApp, redis_server: ThrowawayRedis, sqlite_url: str
) -> None:
    async with TestClient(make_http_app(**redis_app_env(redis_server, sqlite_url))) as client:
        headers = bearer((await register(client)).assert_created().json())
        (await answered(client.get(f"{AUTH}/me", headers=headers))).assert_ok()

        redis_server.kill()

        assert_unavailable(await login(client))
        # The denylist cannot be read: the token is not taken on trust.
        assert_unavailable(await answered(client.get(f"{AUTH}/me", headers=headers)))
        assert_unavailable(await answered(client.post(f"{AUTH}/logout", headers=headers)))
        assert_unavailable(
            await answered(
                client.post(f"{AUTH}/forgot-password", json={"email": "ada@example.com"})
            )
        )
        assert_unavailable(await answered(client.get("/api/v1/roles", headers=headers)))


async def test_a_frozen_redis_is_a_503_not_a_hang_and_serves_again_once_thawed(
    make_http_app: MakeHttpApp, redis_server: ThrowawayRedis, sqlite_url: str
) -> None:
    async with TestClient(make_http_app(**redis_app_env(redis_server, sqlite_url))) as client:
        headers = bearer((await register(client)).assert_created().json())

        redis_server.freeze()
        assert_unavailable(await login(client))
        assert_unavailable(await answered(client.get(f"{AUTH}/me", headers=headers)))

        redis_server.thaw()
        (await login(client)).assert_ok()
        (await answered(client.get(f"{AUTH}/me", headers=headers))).assert_ok()


async def test_requests_succeed_again_after_redis_restarts_without_restarting_the_app(
    make_http_app: MakeHttpApp, redis_server: ThrowawayRedis, sqlite_url: str
) -> None:
    async with TestClient(make_http_app(**redis_app_env(redis_server, sqlite_url))) as client:
        (await register(client)).assert_created()
        (await login(client)).assert_ok()  # the pool now holds connections to the old server

        redis_server.kill()
        assert_unavailable(await login(client))

        redis_server.start()
        tokens = (await login(client)).assert_ok().json()
        me = await answered(client.get(f"{AUTH}/me", headers=bearer(tokens)))
        me.assert_ok().assert_json_path("data.email", "ada@example.com")


async def test_an_outage_is_logged_once_without_the_request_secrets(
    make_http_app: MakeHttpApp,
    redis_server: ThrowawayRedis,
    sqlite_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async with TestClient(make_http_app(**redis_app_env(redis_server, sqlite_url))) as client:
        tokens = (await register(client)).assert_created().json()
        redis_server.kill()
        caplog.clear()
        with caplog.at_level(logging.INFO):
            assert_unavailable(await answered(client.get(f"{AUTH}/me", headers=bearer(tokens))))
            assert_unavailable(await login(client))

    # One warning per failed request, naming Redis, without a traceback; nothing louder.
    raised = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [(r.name, r.levelno) for r in raised] == [("foundry.http", logging.WARNING)] * 2
    assert all("(redis)" in r.getMessage() and r.exc_info is None for r in raised)
    everything = "\n".join(r.getMessage() + str(r.exc_info or "") for r in caplog.records)
    assert PASSWORD not in everything
    assert tokens["access_token"] not in everything
    assert tokens["access_token"].split(".")[2] not in everything
