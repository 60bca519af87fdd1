"""``auth:prune-revocations`` deletes the revocations that deny nothing any more."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import create_async_engine

from foundry.auth.models.revoked_token import RevokedToken
from foundry.database import utcnow
from tests.foundry.console.helpers import artisan


@pytest.fixture
def env(database_url: str) -> Iterator[dict[str, str]]:
    """A migrated database of this test's own."""
    values = {"DATABASE_URL": database_url}
    migrated = artisan("migrate", env=values)
    assert migrated.exit_code == 0, migrated.output
    yield values


def _run(database_url: str, rows: list[dict[str, object]]) -> list[str]:
    async def work() -> list[str]:
        engine = create_async_engine(database_url)
        try:
            async with engine.begin() as connection:
                if rows:
                    await connection.execute(insert(RevokedToken), rows)
                found = await connection.execute(select(RevokedToken.key).order_by("key"))
                return [row[0] for row in found]
        finally:
            await engine.dispose()

    return asyncio.run(work())


def test_expired_revocations_are_pruned_and_live_ones_kept(
    env: dict[str, str], database_url: str
) -> None:
    now = utcnow()
    rows: list[dict[str, object]] = [
        {"kind": kind, "key": key, "revoked_at": now - timedelta(hours=3), "expires_at": until}
        for kind, key, until in (
            ("jti", "gone-token", now - timedelta(minutes=1)),
            ("sid", "gone-login", now - timedelta(hours=1)),
            ("jti", "live-token", now + timedelta(minutes=10)),
            ("user", "7", now + timedelta(hours=1)),
        )
    ]
    assert len(_run(database_url, rows)) == 4

    result = artisan("auth:prune-revocations", env=env)

    assert result.exit_code == 0, result.output
    assert "2 expired revocation(s) pruned." in result.stdout
    assert _run(database_url, []) == ["7", "live-token"]
