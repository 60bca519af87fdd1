"""Revocation: a revoked access token is refused until it would have expired anyway, even after
the cache restarts empty."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from redis.asyncio import Redis
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from foundry.auth.jwt import InvalidTokenError, JwtService, TokenDenylist
from foundry.auth.models.revoked_token import RevokedToken
from foundry.cache.manager import CacheManager
from foundry.config.cache import CacheSettings
from foundry.database.manager import DatabaseManager
from foundry.http.app import create_app
from foundry.kernel.application import Application
from foundry.kernel.redis import RedisConnector
from foundry.testing import TestClient, count_queries
from foundry.testing.database import refresh_database
from tests.foundry.support.throwaway import ThrowawayRedis, redis_server

__all__ = ["redis_server"]  # the fixture, used below

MakeApplication = Callable[..., Application]
PASSWORD = "correct horse battery staple"
API = "/api/v1/auth"


@pytest.fixture
async def scope_session(
    application: Application, db: AsyncConnection
) -> AsyncIterator[AsyncSession]:
    """A session of the test's transaction, for the revocations' rows."""
    async with application.container.scope() as scope:
        yield scope.make(AsyncSession)


async def test_a_revoked_token_is_refused_and_others_are_not(
    application: Application, scope_session: AsyncSession
) -> None:
    service = application.container.make(JwtService)
    revoked, kept = service.issue("1"), service.issue("1")

    assert await service.revoke(await service.authenticate(revoked.token), scope_session)
    await scope_session.commit()

    with pytest.raises(InvalidTokenError) as caught:
        await service.authenticate(revoked.token)
    assert caught.value.reason == "revoked"
    assert (await service.authenticate(kept.token)).jti == kept.jti
    # decode() alone checks the token, not the list.
    assert service.decode(revoked.token).jti == revoked.jti


async def test_entries_live_as_long_as_the_token_could(
    application: Application, scope_session: AsyncSession
) -> None:
    now = [time.time()]
    cache = CacheManager(
        application.container.make(CacheSettings),
        application.container.make(RedisConnector),
        lambda: now[0],
    )
    denylist = TokenDenylist(cache, application.container.make(DatabaseManager), leeway=5)
    expires = datetime.fromtimestamp(now[0], UTC) + timedelta(seconds=60)

    assert await denylist.revoke("jti-1", expires, scope_session)
    await scope_session.commit()
    now[0] += 64
    assert await denylist.is_revoked("jti-1")
    now[0] += 2
    assert not await denylist.is_revoked("jti-1")
    # A token that has already expired needs no entry, in the cache or the database.
    assert not await denylist.revoke("jti-2", expires, scope_session)
    await scope_session.commit()
    assert not await denylist.is_revoked("jti-2")
    rows = await scope_session.scalar(select(func.count()).select_from(RevokedToken))
    assert rows == 1


async def test_the_fake_cache_is_honoured(
    application: Application, scope_session: AsyncSession
) -> None:
    denylist = application.container.make(TokenDenylist)
    fake = application.container.make(CacheManager).fake()

    await denylist.revoke("j", datetime.now(UTC) + timedelta(minutes=1), scope_session)

    assert await fake.has("jwt:denylist:j")


async def test_two_apps_on_one_redis_share_revocations(
    make_application: MakeApplication,
    database_url: str,
    redis_url: str,
    redis_prefix: str,
) -> None:
    env = {
        "DATABASE_URL": database_url,
        "CACHE_STORE": "redis",
        "REDIS_URL": redis_url,
        "REDIS_PREFIX": redis_prefix,
    }
    first_app, second_app = make_application(**env), make_application(**env)
    async with refresh_database(first_app) as connection:
        second_app.container.make(DatabaseManager).use_connection(connection)
        first, second = first_app.container.make(JwtService), second_app.container.make(JwtService)
        issued = first.issue("7")
        assert (await second.authenticate(issued.token)).subject == "7"

        async with first_app.container.scope() as scope:
            db = scope.make(AsyncSession)
            await first.revoke(first.decode(issued.token), db)
            await db.commit()

        with pytest.raises(InvalidTokenError, match="revoked"):
            await second.authenticate(issued.token)
    # One Redis key per jti, expiring with the token (900 s access TTL + 30 s leeway).
    client = Redis.from_url(redis_url)
    try:
        ttl = await client.pttl(f"{redis_prefix}cache:jwt:denylist:{issued.jti}")
    finally:
        await client.aclose()
    assert 890_000 < ttl <= 930_000


async def test_is_denied_answers_for_the_token_and_its_login(
    application: Application, scope_session: AsyncSession
) -> None:
    denylist = application.container.make(TokenDenylist)
    expires = datetime.now(UTC) + timedelta(minutes=1)

    assert not await denylist.is_denied("jti-a", "login-1")
    await denylist.revoke("jti-a", expires, scope_session)
    assert await denylist.is_denied("jti-a")
    assert await denylist.is_denied("jti-a", "login-1")

    await denylist.revoke_session("login-2", 60, scope_session)
    await scope_session.commit()
    assert await denylist.is_denied("jti-b", "login-2")
    assert await denylist.is_session_revoked("login-2")
    assert not await denylist.is_denied("jti-b", "login-3")
    assert not await denylist.is_denied("jti-b")


async def test_a_cleared_cache_still_refuses_what_was_revoked(
    application: Application, scope_session: AsyncSession
) -> None:
    service = application.container.make(JwtService)
    cache = application.container.make(CacheManager)
    by_jti = service.issue("1")
    by_login = service.issue("1", claims={"sid": "login-9"})
    checked = service.issue("1", claims={"sid": "login-8"})
    # "Not revoked" is cached for this one; revoking its login must overwrite that.
    assert (await service.authenticate(checked.token)).jti == checked.jti
    await service.revoke(service.decode(by_jti.token), scope_session)
    await service.revoke_sessions(["login-9", "login-8"], scope_session)
    await scope_session.commit()

    await cache.store().flush()

    for token in (by_jti, by_login, checked):
        with pytest.raises(InvalidTokenError, match="revoked"):
            await service.authenticate(token.token)
    # The answers are cached again: the database is asked once per lost key.
    with count_queries(scope_session) as counter:
        for token in (by_jti, by_login, checked):
            with pytest.raises(InvalidTokenError, match="revoked"):
                await service.authenticate(token.token)
    assert counter.count == 0, counter.statements


async def register(client: TestClient, email: str) -> dict[str, str]:
    response = await client.post(
        f"{API}/register",
        json={
            "name": "Ada",
            "email": email,
            "password": PASSWORD,
            "password_confirmation": PASSWORD,
        },
    )
    tokens: dict[str, str] = response.assert_created().json()
    return tokens


async def test_a_logged_out_token_stays_refused_after_redis_loses_its_data(
    make_application: MakeApplication, database_url: str, redis_server: ThrowawayRedis
) -> None:
    application = make_application(
        DATABASE_URL=database_url, CACHE_STORE="redis", REDIS_URL=redis_server.url
    )
    async with refresh_database(application) as connection:
        async with TestClient(create_app(application)) as client:
            tokens = await register(client, "ada@example.com")
            old = {"Authorization": f"Bearer {tokens['access_token']}"}
            (await client.get(f"{API}/me", headers=old)).assert_ok()
            (await client.post(f"{API}/logout", headers=old)).assert_no_content()
            (await client.get(f"{API}/me", headers=old)).assert_unauthorized()

            # A Redis without persistence comes back empty; the app's pooled connections to the
            # old server are replaced on first use (REDIS_RETRIES).
            redis_server.restart()

            response = await client.get(f"{API}/me", headers=old)
            response.assert_unauthorized().assert_json({"error": "invalid_token"})
            # Nothing else is refused: a new login works, and its checks are cached again.
            fresh = (
                await client.post(
                    f"{API}/login", json={"email": "ada@example.com", "password": PASSWORD}
                )
            ).assert_ok()
            new = {"Authorization": f"Bearer {fresh.json()['access_token']}"}
            (await client.get(f"{API}/me", headers=new)).assert_ok()
            with count_queries(connection) as counter:
                (await client.get(f"{API}/me", headers=new)).assert_ok()
            assert not [s for s in counter.statements if "revoked_tokens" in s]


async def test_a_valid_token_is_checked_against_the_database_once(
    client: TestClient, db: AsyncConnection
) -> None:
    tokens = await register(client, "ada@example.com")
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}

    with count_queries(db) as first:
        (await client.get(f"{API}/me", headers=headers)).assert_ok()
    with count_queries(db) as later:
        for _ in range(3):
            (await client.get(f"{API}/me", headers=headers)).assert_ok()

    assert len([s for s in first.statements if "revoked_tokens" in s]) == 1
    assert not [s for s in later.statements if "revoked_tokens" in s]


async def test_a_token_the_cache_does_not_know_is_refused_when_the_database_cannot_answer(
    make_application: MakeApplication, tmp_path: Path
) -> None:
    # A database that cannot be opened (its folder does not exist), behind an empty cache.
    application = make_application(
        DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'db.sqlite'}"
    )
    service = application.container.make(JwtService)
    issued = service.issue("1")

    # The error propagates (the outage handlers answer it): the token is not accepted.
    with pytest.raises((OperationalError, ConnectionError)):
        await service.authenticate(issued.token)
    # Nothing was cached as "not revoked" on the way.
    assert (
        await application.container.make(CacheManager).store().get(f"jwt:denylist:{issued.jti}")
        is None
    )
