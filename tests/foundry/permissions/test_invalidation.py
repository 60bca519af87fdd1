"""Changes made through the session (not the admin API) reach the cached registry once committed:
deleting or renaming a permission, renaming a role, writing ``role_has_permissions`` directly."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import delete, insert, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from foundry.kernel.application import Application
from foundry.permissions import Permission, PermissionRegistry, Role
from foundry.permissions.tables import role_has_permissions
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User

Change = Callable[[AsyncSession], Awaitable[object]]


@dataclass
class Seeded:
    user_id: int
    role_id: int
    edit_id: int
    publish_id: int


@pytest.fixture
async def seeded(application: Application, db: AsyncConnection) -> Seeded:
    """A user holding ``editor``, which holds ``articles.edit``; ``articles.publish`` exists."""
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        edit = await Permission.create(session, name="articles.edit")
        publish = await Permission.create(session, name="articles.publish")
        role = await Role.create(session, name="editor")
        await role.give_permission_to(edit, session=session)
        user: User = await UserFactory.new().create(session)
        await user.assign_role(role, session=session)
        await session.commit()
        return Seeded(user.id, role.id, edit.id, publish.id)


async def _loaded_user(application: Application, user_id: int) -> User:
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        user = await session.get(User, user_id)
        assert user is not None
        return await user.load_permissions(session)


async def _change(application: Application, change: Change, *, commit: bool = True) -> None:
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        await change(session)
        if commit:
            await session.commit()
        else:
            await session.rollback()


async def _delete_permission(session: AsyncSession) -> None:
    permission = await Permission.find_by_name(session, "articles.edit")
    await session.delete(permission)


async def _rename_permission(session: AsyncSession) -> None:
    (await Permission.find_by_name(session, "articles.edit")).name = "articles.write"


async def _rename_role(session: AsyncSession) -> None:
    (await Role.find_by_name(session, "editor")).name = "writer"


async def _link_directly(session: AsyncSession) -> None:
    role = await Role.find_by_name(session, "editor")
    publish = await Permission.find_by_name(session, "articles.publish")
    await session.execute(
        insert(role_has_permissions).values(role_id=role.id, permission_id=publish.id)
    )


async def _unlink_in_bulk(session: AsyncSession) -> None:
    await session.execute(delete(role_has_permissions))


async def _rename_in_bulk(session: AsyncSession) -> None:
    await session.execute(
        update(Permission).where(Permission.name == "articles.edit").values(name="articles.write")
    )


def _view(user: User) -> dict[str, object]:
    return {
        "roles": user.get_role_names(),
        "permissions": sorted(user.get_permission_names()),
        "can_edit": user.can("articles.edit"),
    }


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_delete_permission, {"roles": ["editor"], "permissions": [], "can_edit": False}),
        (
            _rename_permission,
            {"roles": ["editor"], "permissions": ["articles.write"], "can_edit": False},
        ),
        (_rename_role, {"roles": ["writer"], "permissions": ["articles.edit"], "can_edit": True}),
        (
            _link_directly,
            {
                "roles": ["editor"],
                "permissions": ["articles.edit", "articles.publish"],
                "can_edit": True,
            },
        ),
        (_unlink_in_bulk, {"roles": ["editor"], "permissions": [], "can_edit": False}),
        (
            _rename_in_bulk,
            {"roles": ["editor"], "permissions": ["articles.write"], "can_edit": False},
        ),
    ],
)
async def test_a_committed_change_through_the_session_is_seen(
    application: Application, seeded: Seeded, change: Change, expected: dict[str, object]
) -> None:
    before = await _loaded_user(application, seeded.user_id)  # the registry is cached now
    assert _view(before) == {
        "roles": ["editor"],
        "permissions": ["articles.edit"],
        "can_edit": True,
    }
    assert application.container.make(PermissionRegistry).cached is not None

    await _change(application, change)

    assert _view(await _loaded_user(application, seeded.user_id)) == expected


async def test_a_rolled_back_change_keeps_the_cache(
    application: Application, seeded: Seeded
) -> None:
    registry = application.container.make(PermissionRegistry)
    await _loaded_user(application, seeded.user_id)
    version = await registry.version()

    await _change(application, _delete_permission, commit=False)

    assert await registry.version() == version
    assert (await _loaded_user(application, seeded.user_id)).can("articles.edit")
