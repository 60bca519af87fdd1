"""PostgreSQL stopped, frozen and restarted under the app: a 503 with ``Retry-After``, no hang, and
requests that succeed again once it is back, without restarting the app.

The app runs on a PostgreSQL cluster of the test module's own (``initdb`` + ``pg_ctl``), with its
timeouts at one second.
"""

from __future__ import annotations

from foundry.testing import TestClient
from tests.foundry.faults.conftest import (
    AUTH,
    LOW_TIMEOUTS,
    answered,
    assert_unavailable,
    bearer,
    login,
    register,
)
from tests.foundry.feature.conftest import MakeHttpApp
from tests.foundry.support.throwaway import ThrowawayPostgres


async def test_postgres_down_is_a_503_and_requests_succeed_once_it_is_back(
    make_http_app: MakeHttpApp, postgres: ThrowawayPostgres, postgres_url: str
) -> None:
    async with TestClient(make_http_app(DATABASE_URL=postgres_url, **LOW_TIMEOUTS)) as client:
        tokens = (await register(client)).assert_created().json()
        (await answered(client.get(f"{AUTH}/me", headers=bearer(tokens)))).assert_ok()

        postgres.kill()
        assert_unavailable(await login(client))
        assert_unavailable(await answered(client.get(f"{AUTH}/me", headers=bearer(tokens))))

        postgres.start()
        (await login(client)).assert_ok()
        me = await answered(client.get(f"{AUTH}/me", headers=bearer(tokens)))
        me.assert_ok().assert_json_path("data.email", "ada@example.com")


async def test_a_frozen_postgres_is_a_503_not_a_hang_and_serves_again_once_thawed(
    make_http_app: MakeHttpApp, postgres: ThrowawayPostgres, postgres_url: str
) -> None:
    async with TestClient(make_http_app(DATABASE_URL=postgres_url, **LOW_TIMEOUTS)) as client:
        tokens = (await register(client)).assert_created().json()
        (await login(client)).assert_ok()  # the pool holds connections to the server now

        postgres.freeze()
        assert_unavailable(await login(client))
        assert_unavailable(await answered(client.get(f"{AUTH}/me", headers=bearer(tokens))))
        assert_unavailable(await register(client, "grace@example.com"))

        postgres.thaw()
        (await login(client)).assert_ok()
        (await answered(client.get(f"{AUTH}/me", headers=bearer(tokens)))).assert_ok()
        (await register(client, "grace@example.com")).assert_created()
