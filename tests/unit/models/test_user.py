from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from app.models import User
from foundry.database import MassAssignmentError


def make_user(email: str, *, verified: bool = False) -> User:
    user = User(name="Ada", email=email, password="$argon2id$stand-in")
    if verified:
        user.email_verified_at = datetime(2026, 1, 1, tzinfo=UTC)
    return user


async def test_emails_are_stored_lower_case_and_unique_whatever_the_case(
    session: AsyncSession,
) -> None:
    session.add(make_user("  Ada@Example.COM "))
    await session.flush()
    found = (await session.scalars(User.scope_email("ADA@example.com"))).one()
    assert found.email == "ada@example.com"
    session.add(make_user("ada@EXAMPLE.com"))
    with pytest.raises(IntegrityError):
        await session.flush()


async def test_verified_scope(session: AsyncSession) -> None:
    session.add_all([make_user("a@example.com", verified=True), make_user("b@example.com")])
    await session.flush()
    verified = (await session.scalars(User.scope_verified(True))).all()
    unverified = (await session.scalars(User.scope_verified("false"))).all()
    assert [u.email for u in verified] == ["a@example.com"] and verified[0].has_verified_email
    assert [u.email for u in unverified] == ["b@example.com"]


async def test_soft_deleted_users_are_hidden(session: AsyncSession) -> None:
    user = make_user("gone@example.com")
    session.add(user)
    await session.flush()
    user.soft_delete()
    await session.flush()
    assert (await session.scalars(User.scope_email("gone@example.com"))).all() == []
    assert len((await session.scalars(User.with_trashed())).all()) == 1


def test_password_is_hidden_and_not_mass_assignable() -> None:
    user = make_user("a@example.com")
    assert "password" not in user.to_dict()
    assert "$argon2id" not in repr(user)
    with pytest.raises(MassAssignmentError, match="password"):
        User().fill(password="secret")
