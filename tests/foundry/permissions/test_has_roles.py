"""``HasRoles`` on users and the role methods: Spatie's semantics, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.kernel.application import Application
from foundry.permissions import (
    GuardDoesNotMatch,
    Permission,
    PermissionAlreadyExists,
    PermissionDoesNotExist,
    PermissionRegistry,
    PermissionsNotLoaded,
    Role,
    RoleAlreadyExists,
    RoleDoesNotExist,
)
from foundry.permissions.tables import model_has_roles
from foundry.testing import assert_query_count, count_queries
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User


@pytest.fixture
async def editor(session: AsyncSession) -> Role:
    """``editor`` with ``articles.edit``; ``articles.delete`` and ``users.view`` also exist."""
    for name in ("articles.edit", "articles.delete", "users.view"):
        await Permission.create(session, name=name)
    role = await Role.create(session, name="editor")
    await role.give_permission_to("articles.edit", session=session)
    await Role.create(session, name="writer")
    await session.commit()
    return role


@pytest.fixture
async def user(session: AsyncSession) -> User:
    made = await UserFactory.new().create(session)
    await session.commit()
    return made


async def _role_links(session: AsyncSession, user: User) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(model_has_roles)
        .where(model_has_roles.c.model_id == user.id)
    )
    return int(count or 0)


async def test_a_role_holds_its_permissions(session: AsyncSession, editor: Role) -> None:
    role = await Role.find_by_name(session, "editor")
    assert role.has_permission_to("articles.edit")
    assert not role.has_permission_to("articles.delete")

    await role.give_permission_to("articles.delete", "articles.delete", session=session)
    assert role.has_permission_to("articles.delete")
    await role.revoke_permission_to("articles.edit", session=session)
    assert not role.has_permission_to("articles.edit")
    await role.sync_permissions("users.view", session=session)
    assert [p.name for p in role.permissions] == ["users.view"]


async def test_duplicates_raise_but_find_or_create_does_not(
    session: AsyncSession, editor: Role
) -> None:
    with pytest.raises(RoleAlreadyExists):
        await Role.create(session, name="editor")
    with pytest.raises(PermissionAlreadyExists):
        await Permission.create(session, name="articles.edit")

    assert (await Role.find_or_create(session, "editor")).id == editor.id
    assert (await Permission.find_or_create(session, "articles.publish")).name == "articles.publish"
    # Another guard is another role.
    assert (await Role.create(session, name="editor", guard_name="web")).id != editor.id


async def test_unknown_names_raise(session: AsyncSession, editor: Role, user: User) -> None:
    with pytest.raises(RoleDoesNotExist, match="nobody"):
        await user.assign_role("nobody", session=session)
    with pytest.raises(PermissionDoesNotExist, match="nothing"):
        await user.give_permission_to("nothing", session=session)
    with pytest.raises(PermissionDoesNotExist):
        await editor.give_permission_to("nothing", session=session)
    with pytest.raises(RoleDoesNotExist):
        await Role.find_by_name(session, "editor", "web")


async def test_assigning_twice_is_a_no_op(session: AsyncSession, editor: Role, user: User) -> None:
    await user.assign_role("editor", session=session)
    await user.assign_role("editor", editor, editor.id, session=session)
    await session.commit()

    assert await _role_links(session, user) == 1
    assert user.get_role_names() == ["editor"]


async def test_role_checks(session: AsyncSession, editor: Role, user: User) -> None:
    await user.assign_role("editor", "writer", session=session)

    assert user.has_role("editor")
    assert user.has_role("admin|writer")
    assert user.has_role(["admin", "editor"])
    assert not user.has_role("admin")
    assert user.has_any_role("admin", "writer")
    assert user.has_all_roles("editor", "writer")
    assert not user.has_all_roles("editor", "admin")
    assert user.has_exact_roles("editor", "writer")
    assert not user.has_exact_roles("editor")
    assert not user.has_role("editor", guard="web")

    await user.remove_role("writer", session=session)
    assert user.get_role_names() == ["editor"]
    await user.sync_roles("writer", session=session)
    assert user.get_role_names() == ["writer"]
    await session.commit()
    fresh = await session.get(User, user.id)
    assert fresh is not None
    assert (await fresh.load_permissions(session)).get_role_names() == ["writer"]


async def test_permission_checks(session: AsyncSession, editor: Role, user: User) -> None:
    await user.assign_role("editor", session=session)
    await user.give_permission_to("users.view", session=session)

    assert user.has_permission_to("articles.edit")
    assert user.has_permission_to("users.view")
    assert not user.has_permission_to("articles.delete")
    with pytest.raises(PermissionDoesNotExist):
        user.has_permission_to("articles.fly")
    assert not user.check_permission_to("articles.fly")
    assert user.has_any_permission("articles.fly", "users.view")
    assert user.has_all_permissions("articles.edit", "users.view")
    assert not user.has_all_permissions("articles.edit", "articles.delete")
    assert user.has_direct_permission("users.view")
    assert not user.has_direct_permission("articles.edit")
    assert [p.name for p in user.get_direct_permissions()] == ["users.view"]
    assert [p.name for p in user.get_permissions_via_roles()] == ["articles.edit"]
    assert sorted(user.get_permission_names()) == ["articles.edit", "users.view"]
    assert user.can("articles.edit") and not user.can("articles.delete")
    assert not user.can("articles.fly")

    await user.revoke_permission_to("users.view", session=session)
    assert not user.has_permission_to("users.view")
    await user.sync_permissions("articles.delete", session=session)
    assert [p.name for p in user.get_direct_permissions()] == ["articles.delete"]


async def test_mixing_guards_raises(session: AsyncSession, editor: Role, user: User) -> None:
    web_role = await Role.create(session, name="web-editor", guard_name="web")
    web_permission = await Permission.create(session, name="posts.edit", guard_name="web")

    with pytest.raises(GuardDoesNotMatch, match="guard `api` instead of `web`"):
        await user.assign_role(web_role, session=session)
    with pytest.raises(GuardDoesNotMatch):
        await user.give_permission_to(web_permission, session=session)
    with pytest.raises(GuardDoesNotMatch):
        await editor.give_permission_to(web_permission, session=session)


async def test_checks_need_loaded_permissions(session: AsyncSession, user: User) -> None:
    fresh = await session.get(User, user.id, populate_existing=True)
    assert fresh is not None
    fresh.__dict__.pop("_permission_state", None)
    with pytest.raises(PermissionsNotLoaded):
        fresh.has_role("editor")


async def test_ten_checks_cost_one_query(
    application: Application, session: AsyncSession, editor: Role, user: User
) -> None:
    await user.assign_role("editor", session=session)
    await session.commit()
    await application.container.make(PermissionRegistry).snapshot(session)  # warm

    with count_queries(session) as counter:
        await user.load_permissions(session)
        results = [
            user.has_role("editor"),
            user.has_any_role("admin", "writer"),
            user.has_permission_to("articles.edit"),
            user.check_permission_to("articles.delete"),
            user.has_any_permission("users.view"),
            user.has_all_permissions("articles.edit"),
            user.can("articles.edit"),
            user.can("users.view"),
            user.get_role_names() == ["editor"],
            user.has_direct_permission("articles.edit"),
        ]
    assert results == [True, False, True, False, False, True, True, False, True, False]
    assert counter.count == 1, counter.describe()


async def test_the_async_entry_point_for_ids(
    application: Application, session: AsyncSession, editor: Role, user: User
) -> None:
    await user.assign_role("editor", session=session)
    await session.commit()
    registry = application.container.make(PermissionRegistry)

    assert await registry.user_has_permissions(session, user.id, ["articles.edit"])
    assert not await registry.user_has_permissions(session, user.id, ["articles.edit", "x.y"])
    async with assert_query_count(1, session):
        assert not await registry.user_has_permissions(session, user.id + 99, ["articles.edit"])
