"""Reaching the PostgreSQL and Redis servers the suite may run against."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy.engine import make_url

__all__ = [
    "IN_CI",
    "TEST_DATABASE_URL",
    "TEST_REDIS_URL",
    "check_services",
    "chromium_path",
    "create_postgres_database",
    "delete_redis_prefix",
    "delete_rq_keys",
    "drop_postgres_database",
]

IN_CI = os.environ.get("CI", "").lower() == "true"
#: Under CI the servers default to the local ones every CI machine runs; elsewhere they are opt-in.
TEST_DATABASE_URL = os.environ.get(
    "TEST_DATABASE_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test" if IN_CI else ""
)
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0" if IN_CI else "")


def chromium_path() -> str | None:
    """``CHROMIUM_PATH``, else the ``chromium`` on ``PATH``; ``None`` when there is none.

    Browser tests drive Debian's Chromium (Playwright's own downloads are not used).
    """
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        return configured if Path(configured).exists() else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def _ping_postgres(url: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(_asyncpg_dsn(url), timeout=5)
    await connection.close()


async def _ping_redis(url: str) -> None:
    from redis.asyncio import Redis

    client = Redis.from_url(url, socket_connect_timeout=5)
    try:
        await client.ping()
    finally:
        await client.aclose()


def check_services() -> list[str]:
    """What is wrong with the configured PostgreSQL and Redis, or the browser, if anything."""
    problems: list[str] = []
    checks = (
        ("TEST_DATABASE_URL", TEST_DATABASE_URL, _ping_postgres),
        ("TEST_REDIS_URL", TEST_REDIS_URL, _ping_redis),
    )
    for name, url, ping in checks:
        if not url:
            problems.append(f"{name} is not set")
            continue
        try:
            asyncio.run(ping(url))
        except Exception as exc:
            problems.append(f"{name} is unreachable ({type(exc).__name__}: {exc})")
    if chromium_path() is None:
        problems.append("Chromium is not installed (apt-get install chromium; .ci/run does it)")
    return problems


async def create_postgres_database(server_url: str, *, template: str | None = None) -> str:
    """Create ``foundry_test_<hex>`` on the server of ``server_url``; returns its URL.

    With ``template`` (a database URL) the new database is a copy of that one: PostgreSQL clones
    it file by file, far faster than running the migrations again.
    """
    import asyncpg

    name = f"foundry_test_{secrets.token_hex(6)}"
    clause = f' TEMPLATE "{make_url(template).database}"' if template else ""
    connection = await asyncpg.connect(_asyncpg_dsn(server_url), timeout=10)
    try:
        await connection.execute(f'CREATE DATABASE "{name}"{clause}')
    finally:
        await connection.close()
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


async def drop_postgres_database(server_url: str, database_url: str) -> None:
    """Drop the database made by :func:`create_postgres_database`, even with open sessions."""
    import asyncpg

    name = make_url(database_url).database
    connection = await asyncpg.connect(_asyncpg_dsn(server_url), timeout=10)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await connection.close()


async def delete_redis_prefix(url: str, prefix: str) -> None:
    """Delete every key starting with ``prefix``."""
    from redis.asyncio import Redis

    client = Redis.from_url(url)
    try:
        batch: list[bytes] = []
        async for key in client.scan_iter(match=f"{prefix}*", count=500):
            batch.append(key)
            if len(batch) >= 500:
                await client.delete(*batch)
                batch.clear()
        if batch:
            await client.delete(*batch)
    finally:
        await client.aclose()


async def delete_rq_keys(url: str, prefix: str, jobs: Iterable[str] = ()) -> None:
    """Delete what rq kept in Redis for the queues named ``prefix...``.

    Queue and registry keys carry the queue's name, but a job's hash (``rq:job:<id>``), its
    results and a worker's hash do not: jobs are found by their ``origin`` queue and workers by
    the queues they listen on, so a test that enqueues jobs it never runs leaves nothing behind.
    ``jobs`` names more job ids to delete (jobs whose hash rq already removed keep results).
    """
    from redis.asyncio import Redis

    client = Redis.from_url(url)
    try:
        doomed = [key.decode() async for key in client.scan_iter(match=f"*{prefix}*", count=500)]
        job_ids = set(jobs)
        async for key in client.scan_iter(match="rq:job:*", count=500):
            if key.count(b":") != 2:  # rq:job:<id>:dependents and the like are not the hash
                continue
            origin = _text(await client.hget(key, "origin"))
            if origin.startswith(prefix):
                job_ids.add(key.decode().removeprefix("rq:job:"))
        for job_id in job_ids:
            doomed += [f"rq:job:{job_id}", f"rq:job:{job_id}:dependents", f"rq:results:{job_id}"]
        workers: list[str] = []
        async for key in client.scan_iter(match="rq:worker:*", count=500):
            if key.count(b":") != 2:
                continue
            queues = _text(await client.hget(key, "queues"))
            if any(queue.startswith(prefix) for queue in queues.split(",")):
                workers.append(key.decode())
        doomed += workers
        if workers:
            await client.srem("rq:workers", *workers)
        queues_set = [
            member for member in await client.smembers("rq:queues") if prefix in _text(member)
        ]
        if queues_set:
            await client.srem("rq:queues", *queues_set)
        for start in range(0, len(doomed), 500):
            await client.delete(*doomed[start : start + 500])
    finally:
        await client.aclose()


def _text(value: bytes | str | None) -> str:
    return value.decode() if isinstance(value, bytes) else value or ""
