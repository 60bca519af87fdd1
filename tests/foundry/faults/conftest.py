"""Fault tests: the app against throwaway Redis and PostgreSQL servers that the tests break.

Timeouts are configured low (1 s) so a test that proves "no hang" stays quick; every request is
sent through :func:`answered`, which fails the test instead of hanging it if the app does hang.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import pytest

from foundry.testing import TestClient, TestResponse
from foundry.testing.database import migrate_database

# The feature suite's app factory and its clean-logging guard serve these tests too.
from tests.foundry.feature.conftest import make_http_app, restore_logging
from tests.foundry.support.throwaway import (
    ThrowawayPostgres,
    redis_server,
    throwaway_postgres,
)
from tests.support.services import create_postgres_database

__all__ = ["make_http_app", "redis_server", "restore_logging"]

#: Far beyond any timeout these tests configure: reaching it means the request hung.
HANG_GUARD = 30.0
#: What every back end gets in these tests: a second for connecting and for each command.
LOW_TIMEOUTS = {
    "REDIS_SOCKET_TIMEOUT": "1",
    "REDIS_CONNECT_TIMEOUT": "1",
    "DB_STATEMENT_TIMEOUT": "1",
    "DB_CONNECT_TIMEOUT": "1",
    "DB_POOL_TIMEOUT": "1",
}
PASSWORD = "correct horse battery staple"
AUTH = "/api/v1/auth"


T = TypeVar("T")


def _run_in_thread(work: Callable[[], Coroutine[Any, Any, T]]) -> T:
    # Module fixtures are sync (each test has its own event loop): run the coroutine on a loop of
    # its own thread, as the suite's session fixtures do.
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(lambda: asyncio.run(work())).result()


async def answered(request: Awaitable[TestResponse]) -> TestResponse:
    """The response to ``request``; fails the test if the app has not answered by the guard."""
    try:
        return await asyncio.wait_for(request, HANG_GUARD)
    except TimeoutError:
        pytest.fail(f"the request hung (no answer within {HANG_GUARD:.0f} s)")


def assert_unavailable(response: TestResponse) -> None:
    """A 503 in the error shape of every error, with ``Retry-After`` and the request id."""
    response.assert_status(503)
    response.assert_json({"error": "service_unavailable"})
    assert isinstance(response.json().get("message"), str)
    assert int(response.headers["Retry-After"]) > 0
    response.assert_header("X-Request-ID")


def bearer(tokens: dict[str, str]) -> dict[str, str]:
    """The ``Authorization`` header of the access token in ``tokens`` (a login's answer)."""
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def register(client: TestClient, email: str = "ada@example.com") -> TestResponse:
    """Register (and so log in) a user."""
    return await answered(
        client.post(
            f"{AUTH}/register",
            json={
                "name": "Ada",
                "email": email,
                "password": PASSWORD,
                "password_confirmation": PASSWORD,
            },
        )
    )


async def login(client: TestClient, email: str = "ada@example.com") -> TestResponse:
    """Log in with the password :func:`register` set."""
    return await answered(client.post(f"{AUTH}/login", json={"email": email, "password": PASSWORD}))


@pytest.fixture
async def sqlite_url(tmp_path: Path) -> str:
    """A migrated SQLite database of this test's own."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'app.sqlite'}"
    await migrate_database(url)
    return url


@pytest.fixture(scope="module")
def postgres_server() -> Iterator[tuple[ThrowawayPostgres, str]]:
    """A PostgreSQL cluster for the module and the URL of a migrated template database on it."""
    with throwaway_postgres() as server:
        template = _run_in_thread(lambda: create_postgres_database(server.server_url))
        _run_in_thread(lambda: migrate_database(template))
        yield server, template


@pytest.fixture
async def postgres(
    postgres_server: tuple[ThrowawayPostgres, str],
) -> AsyncIterator[ThrowawayPostgres]:
    """The module's cluster, running; whatever the test did to it is undone afterwards."""
    server, _ = postgres_server
    yield server
    server.thaw()
    if server.postmaster_pid() is None:
        server.start()


@pytest.fixture
async def postgres_url(
    postgres_server: tuple[ThrowawayPostgres, str], postgres: ThrowawayPostgres
) -> str:
    """A migrated database of this test's own on the throwaway cluster (gone with the cluster)."""
    server, template = postgres_server
    return await create_postgres_database(server.server_url, template=template)
