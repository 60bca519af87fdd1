"""A role's permission methods take what the user's take (lists, empty lists), and a role and a
user holding only that role answer every ``has_permission_to`` alike (guards, unknown names)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.permissions import Permission, PermissionDoesNotExist, Role
from foundry.permissions.tables import role_has_permissions
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User


async def _links(session: AsyncSession, role: Role) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(role_has_permissions)
        .where(role_has_permissions.c.role_id == role.id)
    )
    return int(count or 0)


@pytest.fixture
async def editor(session: AsyncSession) -> Role:
    """``editor`` (guard ``api``); ``articles.edit``/``articles.delete``/``users.view`` exist."""
    for name in ("articles.edit", "articles.delete", "users.view"):
        await Permission.create(session, name=name)
    role = await Role.create(session, name="editor")
    await session.commit()
    return role


async def test_lists_are_accepted_like_the_user_methods(
    session: AsyncSession, editor: Role
) -> None:
    await editor.give_permission_to(["articles.edit", "articles.delete"], session=session)
    await session.commit()
    assert await _links(session, editor) == 2
    assert editor.has_permission_to("articles.delete")

    await editor.revoke_permission_to(["articles.delete"], session=session)
    await editor.sync_permissions(["users.view", "articles.edit"], session=session)
    await session.commit()
    assert sorted(p.name for p in editor.permissions) == ["articles.edit", "users.view"]

    await editor.sync_permissions([], session=session)
    await session.commit()
    assert await _links(session, editor) == 0
    assert editor.permissions == []
    assert not (await Role.find_by_name(session, "editor")).has_permission_to("articles.edit")


async def test_a_permission_of_another_guard_is_not_held(
    session: AsyncSession, editor: Role
) -> None:
    await Permission.create(session, name="articles.edit", guard_name="web")
    web_only = await Permission.create(session, name="posts.edit", guard_name="web")
    await editor.give_permission_to("articles.edit", session=session)
    await session.commit()
    web_edit = await Permission.find_by_name(session, "articles.edit", "web")

    role = await Role.find_by_name(session, "editor")
    assert role.has_permission_to("articles.edit")
    assert not role.has_permission_to(web_edit)
    assert not role.has_permission_to(web_edit.id)
    assert not role.has_permission_to("articles.edit", guard="web")
    with pytest.raises(PermissionDoesNotExist, match="guard `api`"):
        role.has_permission_to(web_only.name)


@pytest.mark.parametrize(
    "permission",
    ["articles.edit", "articles.delete", "articles.fly", "web:articles.edit", "web:posts.edit"],
)
async def test_a_role_and_its_holder_agree(
    session: AsyncSession, editor: Role, permission: str
) -> None:
    await Permission.create(session, name="articles.edit", guard_name="web")
    await Permission.create(session, name="posts.edit", guard_name="web")
    await editor.give_permission_to("articles.edit", session=session)
    user: User = await UserFactory.new().create(session)
    await user.assign_role(editor, session=session)
    await session.commit()
    guard, _, name = permission.rpartition(":")
    role = await Role.find_by_name(session, "editor")

    def answer(check: Callable[[str, str | None], bool]) -> bool | str:
        try:
            return check(name, guard or None)
        except PermissionDoesNotExist as error:
            return f"raises {error.message}"

    assert answer(role.has_permission_to) == answer(user.has_permission_to)
    assert (
        answer(role.has_permission_to)
        == {
            "articles.edit": True,
            "articles.delete": False,
            "articles.fly": "raises There is no permission named `articles.fly` for guard `api`.",
            "web:articles.edit": False,
            "web:posts.edit": False,
        }[permission]
    )
