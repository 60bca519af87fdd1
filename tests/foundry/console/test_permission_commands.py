"""``permission:create-role``, ``permission:create-permission``, ``permission:show``,
``permission:cache-reset`` and ``user:assign-role`` against a migrated database."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.orm import selectinload

from foundry.permissions import PermissionRegistry, Role
from tests.conftest import MakeApplication
from tests.foundry.console.helpers import artisan


@pytest.fixture
def env(database_url: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    values = {
        "DATABASE_URL": database_url,
        "CACHE_STORE": "file",
        "CACHE_PATH": str(tmp_path / "cache"),
    }
    migrated = artisan("migrate", env=values)
    assert migrated.exit_code == 0, migrated.output
    yield values


def _roles(database_url: str) -> dict[tuple[str, str], list[str]]:
    async def query() -> dict[tuple[str, str], list[str]]:
        engine = create_async_engine(database_url)
        try:
            async with AsyncSession(engine) as session:
                roles = await session.scalars(select(Role).options(selectinload(Role.permissions)))
                return {
                    (r.name, r.guard_name): sorted(p.name for p in r.permissions) for r in roles
                }
        finally:
            await engine.dispose()

    return asyncio.run(query())


def test_create_role_with_permissions_is_idempotent(env: dict[str, str]) -> None:
    first = artisan("permission:create-role", "editor", "articles.edit", "articles.view", env=env)
    assert first.exit_code == 0, first.output
    assert "Role `editor` created." in first.stdout
    again = artisan("permission:create-role", "editor", "articles.publish", env=env)
    assert again.exit_code == 0, again.output
    assert "Role `editor` already exists." in again.stdout

    web = artisan("permission:create-role", "editor", "--guard", "web", env=env)
    assert web.exit_code == 0, web.output
    assert _roles(env["DATABASE_URL"]) == {
        ("editor", "api"): ["articles.edit", "articles.publish", "articles.view"],
        ("editor", "web"): [],
    }


def test_create_permission_and_show(env: dict[str, str]) -> None:
    made = artisan("permission:create-permission", "reports.view", env=env)
    assert made.exit_code == 0 and "Permission `reports.view` created." in made.stdout
    again = artisan("permission:create-permission", "reports.view", env=env)
    assert "Permission `reports.view` already exists." in again.stdout
    artisan("permission:create-role", "auditor", "reports.view", env=env)
    artisan("permission:create-role", "clerk", "invoices.view", env=env)

    shown = artisan("permission:show", env=env)

    assert shown.exit_code == 0, shown.output
    assert "Guard: api" in shown.stdout
    header = next(line for line in shown.stdout.splitlines() if "auditor" in line)
    assert "clerk" in header
    reports = next(line for line in shown.stdout.splitlines() if "reports.view" in line)
    assert reports.count("✔") == 1 and reports.index("✔") < reports.index("·")


async def test_cache_reset_reaches_running_processes(
    env: dict[str, str], make_application: MakeApplication
) -> None:
    # A running app sharing the file cache: its registry must notice the reset.
    registry = make_application(**env).container.make(PermissionRegistry)
    before = await registry.version()

    result = await asyncio.to_thread(artisan, "permission:cache-reset", env=env)

    assert result.exit_code == 0, result.output
    assert "Permission cache flushed." in result.stdout
    assert await registry.version() != before


def test_assign_role(env: dict[str, str]) -> None:
    artisan("permission:create-role", "editor", env=env)
    created = artisan(
        "user:create", "--name", "Ada", "--email", "ada@example.com",
        "--password", "correct horse battery staple", env=env,
    )  # fmt: skip
    assert created.exit_code == 0, created.output

    assigned = artisan("user:assign-role", "ADA@example.com", "editor", env=env)
    assert assigned.exit_code == 0, assigned.output
    assert "Role `editor` assigned to ADA@example.com." in assigned.stdout

    unknown_role = artisan("user:assign-role", "ada@example.com", "ghost", env=env)
    assert unknown_role.exit_code == 1 and "no role named `ghost`" in unknown_role.output
    unknown_user = artisan("user:assign-role", "bob@example.com", "editor", env=env)
    assert unknown_user.exit_code == 1 and "No user has the email" in unknown_user.output
