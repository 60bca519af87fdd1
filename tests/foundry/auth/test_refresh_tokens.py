from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.models.refresh_token import RefreshToken
from foundry.auth.refresh_tokens import InvalidRefreshTokenError, RefreshTokenService, hash_token
from tests.foundry.testbench.models import User


@pytest.fixture
async def user(session: AsyncSession) -> User:
    user = User(name="Ada", email="ada@example.com", password="$argon2id$stand-in")
    session.add(user)
    await session.flush()
    return user


async def test_tokens_are_stored_only_as_hashes(session: AsyncSession, user: User) -> None:
    issued = await RefreshTokenService(session).issue(user.id)
    stored = (await session.scalars(select(RefreshToken))).one()
    assert stored.token_hash == hash_token(issued.token) and issued.token not in stored.token_hash
    assert 13 * 86400 < issued.expires_in <= 14 * 86400


async def test_rotation_spends_the_token_and_keeps_the_family(
    session: AsyncSession, user: User
) -> None:
    tokens = RefreshTokenService(session)
    first = await tokens.issue(user.id)
    user_id, second = await tokens.rotate(first.token)
    assert user_id == user.id and second.family_id == first.family_id
    assert second.token != first.token
    _, third = await tokens.rotate(second.token)
    assert third.family_id == first.family_id


async def test_reuse_revokes_the_whole_family_but_not_other_logins(
    session: AsyncSession, user: User
) -> None:
    tokens = RefreshTokenService(session)
    stolen = await tokens.issue(user.id)
    other_login = await tokens.issue(user.id)
    _, successor = await tokens.rotate(stolen.token)
    with pytest.raises(InvalidRefreshTokenError):
        await tokens.rotate(stolen.token)  # replayed
    with pytest.raises(InvalidRefreshTokenError):
        await tokens.rotate(successor.token)  # the family is gone
    await tokens.rotate(other_login.token)  # another login is untouched


async def test_unknown_expired_and_revoked_tokens_are_refused(
    session: AsyncSession, user: User
) -> None:
    with pytest.raises(InvalidRefreshTokenError, match="invalid or expired"):
        await RefreshTokenService(session).rotate("not-a-token")
    expired = await RefreshTokenService(session, ttl=timedelta(seconds=-1)).issue(user.id)
    with pytest.raises(InvalidRefreshTokenError):
        await RefreshTokenService(session).rotate(expired.token)
    tokens = RefreshTokenService(session)
    logged_out = await tokens.issue(user.id)
    assert await tokens.revoke_token_family(logged_out.token) == 1
    with pytest.raises(InvalidRefreshTokenError):
        await tokens.rotate(logged_out.token)


async def test_revoke_all_for_user_can_spare_the_current_login(
    session: AsyncSession, user: User
) -> None:
    tokens = RefreshTokenService(session)
    current, other = await tokens.issue(user.id), await tokens.issue(user.id)
    assert await tokens.revoke_all_for_user(user.id, except_family=current.family_id) == 1
    await tokens.rotate(current.token)
    with pytest.raises(InvalidRefreshTokenError):
        await tokens.rotate(other.token)


def test_refused_tokens_are_401s() -> None:
    assert InvalidRefreshTokenError().status_code == 401
