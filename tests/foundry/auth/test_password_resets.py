from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.models.password_reset_token import PasswordResetToken
from foundry.auth.password_resets import PasswordResetBroker


async def test_a_token_works_once_and_is_stored_hashed(session: AsyncSession) -> None:
    broker = PasswordResetBroker(session)
    token = await broker.create("Ada@Example.com")
    assert token is not None
    stored = (await session.scalars(select(PasswordResetToken))).one()
    assert stored.email == "ada@example.com" and token not in stored.token_hash
    assert not await broker.consume("ada@example.com", "wrong")
    assert await broker.consume("ADA@example.com", token)
    assert not await broker.consume("ada@example.com", token)


async def test_expired_tokens_fail_and_are_removed(session: AsyncSession) -> None:
    broker = PasswordResetBroker(session, expires=timedelta(seconds=-1))
    token = await broker.create("ada@example.com")
    assert token is not None
    assert not await broker.consume("ada@example.com", token)
    assert (await session.scalars(select(PasswordResetToken))).all() == []


async def test_asking_again_is_throttled_then_replaces_the_token(session: AsyncSession) -> None:
    broker = PasswordResetBroker(session)
    first = await broker.create("ada@example.com")
    assert await broker.create("ada@example.com") is None
    unthrottled = PasswordResetBroker(session, throttle=timedelta(0))
    second = await unthrottled.create("ada@example.com")
    assert first is not None and second is not None
    assert not await unthrottled.consume("ada@example.com", first)
    assert await unthrottled.consume("ada@example.com", second)
