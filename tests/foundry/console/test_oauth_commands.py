"""``oauth:client``, ``oauth:clients`` and ``oauth:purge``."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import create_async_engine

from tests.foundry.console.helpers import artisan


@pytest.fixture
def env(database_url: str) -> Iterator[dict[str, str]]:
    """A migrated database of this test's own."""
    values = {"DATABASE_URL": database_url}
    migrated = artisan("migrate", env=values)
    assert migrated.exit_code == 0, migrated.output
    yield values


def _secret_hashes(database_url: str) -> list[str | None]:
    async def query() -> list[str | None]:
        from foundry.oauth2.models.oauth_client import OAuthClient

        engine = create_async_engine(database_url)
        try:
            async with engine.connect() as connection:
                result = await connection.execute(select(OAuthClient.secret_hash))
                return [row[0] for row in result]
        finally:
            await engine.dispose()

    return asyncio.run(query())


def test_oauth_client_json_prints_the_secret_once_and_stores_a_hash(
    env: dict[str, str], database_url: str
) -> None:
    result = artisan(
        "oauth:client",
        "--name",
        "Billing",
        "--grant",
        "client_credentials",
        "--scopes",
        "users:read",
        "--json",
        env=env,
    )
    assert result.exit_code == 0, result.output
    printed = json.loads(result.stdout)
    assert printed["client_id"] and printed["client_secret"]
    assert printed["client_secret"] not in str(_secret_hashes(database_url))
    listing = artisan("oauth:clients", env=env)
    assert "Billing" in listing.stdout and printed["client_secret"] not in listing.stdout


def test_oauth_client_public_with_redirects_and_refusals(env: dict[str, str]) -> None:
    public = artisan(
        "oauth:client",
        "--name",
        "CLI",
        "--public",
        "--redirect",
        "http://127.0.0.1/callback",
        "--redirect",
        "http://[::1]/callback",
        "--json",
        env=env,
    )
    assert public.exit_code == 0, public.output
    assert json.loads(public.stdout)["client_secret"] is None
    for args in (
        ["--name", "X", "--redirect", "https://user@host/cb"],
        ["--name", "X", "--grant", "implicit"],
        ["--name", "X", "--grant", "client_credentials", "--scopes", "root"],
        ["--name", ""],
    ):
        refused = artisan("oauth:client", *args, env=env)
        assert refused.exit_code == 1, args


def test_oauth_purge_runs_on_an_empty_database(env: dict[str, str]) -> None:
    result = artisan("oauth:purge", "--expired", env=env)
    assert result.exit_code == 0, result.output
    assert "oauth_access_tokens" in result.stdout
