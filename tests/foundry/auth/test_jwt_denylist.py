"""Revocation: a revoked access token is refused until it would have expired anyway."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from redis.asyncio import Redis

from foundry.auth.jwt import InvalidTokenError, JwtService, TokenDenylist
from foundry.cache.manager import CacheManager
from foundry.config.cache import CacheSettings
from foundry.kernel.application import Application
from foundry.kernel.redis import RedisConnector
from tests.foundry.auth.test_jwt_helpers import jwt_env

MakeApplication = Callable[..., Application]


async def test_a_revoked_token_is_refused_and_others_are_not(
    make_application: MakeApplication, tmp_path: Path
) -> None:
    service = make_application(**jwt_env(tmp_path / "keys")).container.make(JwtService)
    revoked, kept = service.issue("1"), service.issue("1")

    assert await service.revoke(await service.authenticate(revoked.token))

    with pytest.raises(InvalidTokenError) as caught:
        await service.authenticate(revoked.token)
    assert caught.value.reason == "revoked"
    assert (await service.authenticate(kept.token)).jti == kept.jti
    # decode() alone checks the token, not the list.
    assert service.decode(revoked.token).jti == revoked.jti


async def test_entries_live_as_long_as_the_token_could(
    make_application: MakeApplication, tmp_path: Path
) -> None:
    app = make_application(**jwt_env(tmp_path / "keys", CACHE_STORE="array"))
    now = [time.time()]
    cache = CacheManager(
        app.container.make(CacheSettings), app.container.make(RedisConnector), lambda: now[0]
    )
    denylist = TokenDenylist(cache, leeway=5)
    expires = datetime.fromtimestamp(now[0], UTC) + timedelta(seconds=60)

    assert await denylist.revoke("jti-1", expires)
    now[0] += 64
    assert await denylist.is_revoked("jti-1")
    now[0] += 2
    assert not await denylist.is_revoked("jti-1")
    # A token that has already expired needs no entry.
    assert not await denylist.revoke("jti-2", expires)
    assert not await denylist.is_revoked("jti-2")


async def test_the_fake_cache_is_honoured(
    make_application: MakeApplication, tmp_path: Path
) -> None:
    app = make_application(**jwt_env(tmp_path / "keys"))
    denylist = app.container.make(TokenDenylist)
    fake = app.container.make(CacheManager).fake()

    await denylist.revoke("j", datetime.now(UTC) + timedelta(minutes=1))

    assert await fake.has("jwt:denylist:j")


async def test_two_apps_on_one_redis_share_revocations(
    make_application: MakeApplication, tmp_path: Path, redis_url: str, redis_prefix: str
) -> None:
    env = jwt_env(
        tmp_path / "keys", CACHE_STORE="redis", REDIS_URL=redis_url, REDIS_PREFIX=redis_prefix
    )
    first = make_application(**env).container.make(JwtService)
    second = make_application(**env).container.make(JwtService)
    issued = first.issue("7")
    assert (await second.authenticate(issued.token)).subject == "7"

    await first.revoke(first.decode(issued.token))

    with pytest.raises(InvalidTokenError, match="revoked"):
        await second.authenticate(issued.token)
    # One Redis key per jti, expiring with the token (900 s access TTL + 30 s leeway).
    client = Redis.from_url(redis_url)
    try:
        ttl = await client.pttl(f"{redis_prefix}cache:jwt:denylist:{issued.jti}")
    finally:
        await client.aclose()
    assert 890_000 < ttl <= 930_000


async def test_is_denied_answers_for_the_token_and_its_login_in_one_read(
    make_application: MakeApplication, tmp_path: Path
) -> None:
    app = make_application(**jwt_env(tmp_path / "keys", CACHE_STORE="array"))
    denylist = app.container.make(TokenDenylist)
    expires = datetime.now(UTC) + timedelta(minutes=1)

    assert not await denylist.is_denied("jti-a", "login-1")
    await denylist.revoke("jti-a", expires)
    assert await denylist.is_denied("jti-a")
    assert await denylist.is_denied("jti-a", "login-1")

    await denylist.revoke_session("login-2", 60)
    assert await denylist.is_denied("jti-b", "login-2")
    assert not await denylist.is_denied("jti-b", "login-3")
    assert not await denylist.is_denied("jti-b")
