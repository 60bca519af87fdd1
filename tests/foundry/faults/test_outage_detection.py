"""Which errors are outages (a 503) and which stay bugs (a 500), on real servers and drivers."""

from __future__ import annotations

import json
import socket

import pytest
from redis.asyncio import Redis
from redis.exceptions import ResponseError
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError, OperationalError

from foundry.config.database import DatabaseSettings
from foundry.database.engine import create_engine
from foundry.http.exceptions import render_exception
from foundry.kernel.outages import describe_cause, outage_of
from tests.foundry.faults.conftest import LOW_TIMEOUTS
from tests.foundry.support.throwaway import ThrowawayRedis, free_port


def settings(url: str) -> DatabaseSettings:
    return DatabaseSettings.model_validate({**LOW_TIMEOUTS, "DATABASE_URL": url})


async def test_a_refused_postgres_connection_is_a_database_outage() -> None:
    engine = create_engine(settings(f"postgresql+asyncpg://postgres@127.0.0.1:{free_port()}/x"))
    try:
        with pytest.raises(OSError) as raised:
            async with engine.connect():
                pass
    finally:
        await engine.dispose()
    assert outage_of(raised.value) == "database"
    assert describe_cause(raised.value).startswith("ConnectionRefusedError")


async def test_a_refused_redis_connection_is_a_redis_outage() -> None:
    client = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0", socket_connect_timeout=1)
    try:
        with pytest.raises(Exception) as raised:
            await client.get("key")
    finally:
        await client.aclose()
    assert outage_of(raised.value) == "redis"


async def test_an_error_redis_answers_is_not_an_outage(redis_server: ThrowawayRedis) -> None:
    client = Redis.from_url(redis_server.url)
    try:
        await client.set("word", "not a number")
        with pytest.raises(ResponseError) as raised:
            await client.incr("word")
    finally:
        await client.aclose()
    assert outage_of(raised.value) is None


async def test_sqlite_errors_that_are_bugs_are_not_outages() -> None:
    engine = create_engine(settings("sqlite+aiosqlite://"))
    try:
        async with engine.connect() as connection:
            with pytest.raises(OperationalError) as missing_table:
                await connection.execute(text("SELECT * FROM no_such_table"))
            await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY)"))
            await connection.execute(text("INSERT INTO t (id) VALUES (1)"))
            with pytest.raises(IntegrityError) as duplicate:
                await connection.execute(text("INSERT INTO t (id) VALUES (1)"))
    finally:
        await engine.dispose()
    assert outage_of(missing_table.value) is None
    assert outage_of(duplicate.value) is None


def test_a_refused_connection_outside_redis_and_the_database_is_not_theirs() -> None:
    with pytest.raises(ConnectionRefusedError) as raised:
        socket.create_connection(("127.0.0.1", free_port()), timeout=1)
    assert outage_of(raised.value) is None
    assert outage_of(ValueError("a bug")) is None


@pytest.mark.parametrize("debug", [False, True])
async def test_an_outage_renders_as_a_503_with_retry_after_even_in_debug(debug: bool) -> None:
    client = Redis.from_url(f"redis://127.0.0.1:{free_port()}/0", socket_connect_timeout=1)
    try:
        with pytest.raises(Exception) as raised:
            await client.ping()
    finally:
        await client.aclose()
    response = render_exception(raised.value, debug=debug)
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    body = json.loads(bytes(response.body))
    assert body["error"] == "service_unavailable" and set(body) == {"message", "error"}
