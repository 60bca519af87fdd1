"""``artisan mfa:stats`` and ``artisan mfa:reset``, on a migrated database of their own."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import create_async_engine

from foundry.database import utcnow
from foundry.mfa.models.audit_event import MfaAuditEvent
from foundry.mfa.models.recovery_code import RecoveryCode
from tests.foundry.console.helpers import artisan


@pytest.fixture
def env(database_url: str) -> Iterator[dict[str, str]]:
    values = {"DATABASE_URL": database_url}
    migrated = artisan("migrate", env=values)
    assert migrated.exit_code == 0, migrated.output
    yield values


def make_user(env: dict[str, str], email: str) -> int:
    created = artisan(
        "user:create",
        "--name",
        "Ada",
        "--email",
        email,
        "--password",
        "correct horse battery staple",
        env=env,
    )
    assert created.exit_code == 0, created.output
    return int(created.stdout.strip().splitlines()[-1])


def run(database_url: str, table: Any, rows: list[dict[str, object]]) -> list[Any]:
    async def work() -> list[Any]:
        engine = create_async_engine(database_url)
        try:
            async with engine.begin() as connection:
                if rows:
                    await connection.execute(insert(table), rows)
                return list(await connection.execute(select(table)))
        finally:
            await engine.dispose()

    return asyncio.run(work())


def codes(user_id: int, count: int) -> list[dict[str, object]]:
    now = utcnow()
    return [
        {"user_id": user_id, "code_hash": f"{i:064x}", "created_at": now, "updated_at": now}
        for i in range(count)
    ]


def test_stats_show_adoption_and_failure_rates(env: dict[str, str], database_url: str) -> None:
    ada = make_user(env, "ada@example.com")
    make_user(env, "bob@example.com")
    run(database_url, RecoveryCode.__table__, codes(ada, 3))
    now = utcnow()
    audit: list[dict[str, object]] = [
        {"user_id": ada, "event": event, "method": "recovery_code", "created_at": now}
        for event in ("verified", "failed", "failed", "failed")
    ]
    run(database_url, MfaAuditEvent.__table__, audit)

    result = artisan("mfa:stats", "--days", "7", env=env)

    assert result.exit_code == 0, result.output
    assert "recovery_code" in result.stdout
    assert "1/2" in result.stdout and "50.0%" in result.stdout
    assert "75.0%" in result.stdout


def test_reset_removes_the_factors_and_is_audited(env: dict[str, str], database_url: str) -> None:
    ada = make_user(env, "ada@example.com")
    run(database_url, RecoveryCode.__table__, codes(ada, 2))

    result = artisan("mfa:reset", "ada@example.com", "--reason", "lost phone", env=env)

    assert result.exit_code == 0, result.output
    assert f"user [{ada}] removed (recovery_code)" in result.stdout
    assert run(database_url, RecoveryCode.__table__, []) == []
    rows = run(database_url, MfaAuditEvent.__table__, [])
    assert [(row.user_id, row.event, row.detail) for row in rows] == [(ada, "reset", "lost phone")]


def test_reset_of_an_unknown_user_fails(env: dict[str, str]) -> None:
    result = artisan("mfa:reset", "nobody@example.com", env=env)
    assert result.exit_code != 0
    assert "No user nobody@example.com." in result.output
