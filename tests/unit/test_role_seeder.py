"""``RoleSeeder``: the four roles, the admin as super-admin, idempotent."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.user import User
from database.seeders.role_seeder import PERMISSIONS
from database.seeders.user_seeder import ADMIN_EMAIL, demo_email
from foundry.database import run_seeder
from foundry.permissions import Role
from foundry.permissions.tables import model_has_roles, role_has_permissions


async def _count(session: AsyncSession, table: object) -> int:
    return int(await session.scalar(select(func.count()).select_from(table)) or 0)  # type: ignore[arg-type]  # a Table


async def test_roles_and_the_super_admin(session: AsyncSession) -> None:
    await run_seeder(session=session)

    names = list(await session.scalars(select(Role.name).order_by(Role.id)))
    assert names == ["super-admin", "admin", "editor", "user"]
    admin_role = await Role.find_by_name(session, "admin")
    assert sorted(p.name for p in admin_role.permissions) == sorted(PERMISSIONS)

    admin = await session.scalar(User.scope_email(ADMIN_EMAIL))
    demo = await session.scalar(User.scope_email(demo_email(1)))
    assert admin is not None and demo is not None
    await admin.load_permissions(session)
    await demo.load_permissions(session)
    assert admin.get_role_names() == ["super-admin"]
    assert admin.can("users.view") and not admin.has_permission_to("users.view")
    assert demo.get_role_names() == ["user"] and not demo.can("users.view")


async def test_running_it_again_changes_nothing(session: AsyncSession) -> None:
    await run_seeder(session=session)
    counts = [await _count(session, t) for t in (Role, model_has_roles, role_has_permissions)]

    await run_seeder(session=session)

    assert [
        await _count(session, t) for t in (Role, model_has_roles, role_has_permissions)
    ] == counts
