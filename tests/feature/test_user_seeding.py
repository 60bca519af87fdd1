"""``UserSeeder`` and ``UserFactory``: the admin and demo users, idempotent, on both databases."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from app.models.user import User
from database.factories import DEFAULT_PASSWORD, UserFactory
from database.seeders.user_seeder import ADMIN_EMAIL, DEMO_USERS, demo_email
from foundry.auth.passwords import PasswordHasher
from foundry.database import run_seeder
from foundry.kernel.application import Application
from tests.support.artisan import artisan


async def _users(session: AsyncSession) -> list[User]:
    return list((await session.scalars(User.with_trashed().order_by(User.id))).all())


async def test_seeding_creates_a_verified_admin_and_demo_users(
    application: Application, session: AsyncSession
) -> None:
    ran = await run_seeder(session=session)
    assert ran[0] == "DatabaseSeeder" and {"UserSeeder", "RoleSeeder"} <= set(ran)

    users = await _users(session)
    assert [user.email for user in users] == [
        ADMIN_EMAIL,
        *(demo_email(n) for n in range(1, DEMO_USERS + 1)),
    ]
    admin = users[0]
    assert admin.name == "Admin" and admin.has_verified_email
    assert all(user.has_verified_email and user.name for user in users)
    hasher = application.container.make(PasswordHasher)
    assert await hasher.verify(admin.password, DEFAULT_PASSWORD)
    assert await hasher.verify(users[-1].password, DEFAULT_PASSWORD)


async def test_seeding_twice_keeps_one_of_each_and_the_admins_password(
    application: Application, session: AsyncSession, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SEED_ADMIN_PASSWORD", "a better admin secret")
    await run_seeder(session=session)
    admin = (await _users(session))[0]
    first_hash = admin.password
    (await _users(session))[3].soft_delete()  # a deleted demo user keeps its email taken
    await session.commit()

    await run_seeder(session=session)

    users = await _users(session)
    assert len(users) == 1 + DEMO_USERS
    assert len({user.email for user in users}) == len(users)
    assert users[0].password == first_hash
    hasher = application.container.make(PasswordHasher)
    assert await hasher.verify(first_hash, "a better admin secret")


async def test_seeding_adds_only_the_missing_demo_users(session: AsyncSession) -> None:
    await UserFactory.new().create(session, email=demo_email(2), name="Kept")

    await run_seeder(session=session)

    users = await _users(session)
    assert len(users) == 1 + DEMO_USERS
    kept = [user for user in users if user.email == demo_email(2)]
    assert [user.name for user in kept] == ["Kept"]


async def test_the_factory_makes_verified_users_and_unverified_on_request(
    session: AsyncSession,
) -> None:
    verified, pending = (
        await UserFactory.new().create(session),
        await UserFactory.new().unverified().create(session),
    )

    assert verified.has_verified_email and not pending.has_verified_email
    assert verified.email != pending.email and verified.email.endswith(
        ("example.com", "example.org", "example.net")
    )
    assert verified.password == pending.password  # one hash per process, not one per user
    assert verified.password.startswith("$argon2id$")


def _count_users(database_url: str) -> int:
    async def query() -> int:
        engine = create_async_engine(database_url)
        try:
            async with engine.connect() as connection:
                return int((await connection.scalar(select(func.count()).select_from(User))) or 0)
        finally:
            await engine.dispose()

    return asyncio.run(query())


def test_artisan_db_seed_twice_neither_fails_nor_duplicates(database_url: str) -> None:
    env = {"DATABASE_URL": database_url}
    assert artisan("migrate", env=env).exit_code == 0

    for _ in range(2):
        result = artisan("db:seed", env=env)
        assert result.exit_code == 0, result.output
        assert "UserSeeder" in result.stdout

    assert _count_users(database_url) == 1 + DEMO_USERS


async def test_running_the_database_seeder_twice_leaves_the_same_rows(
    session: AsyncSession,
) -> None:
    # What a second `make dev` does: every seeded table keeps the row count of the first run.
    from foundry.permissions import Permission, Role
    from foundry.permissions.tables import (
        model_has_permissions,
        model_has_roles,
        role_has_permissions,
    )

    tables = (User, Role, Permission, model_has_roles, model_has_permissions, role_has_permissions)

    async def counts() -> list[int]:
        found = []
        for table in tables:
            statement = select(func.count()).select_from(table)
            found.append(int(await session.scalar(statement) or 0))
        return found

    await run_seeder(session=session)
    first = await counts()
    await run_seeder(session=session)

    assert await counts() == first
    assert first[0] == 1 + DEMO_USERS and first[1] == 4 and first[3] == 1 + DEMO_USERS
