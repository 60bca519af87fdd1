"""``RoleSeeder``: the roles ``super-admin``, ``admin``, ``editor`` and ``user``; safe to rerun.

The admin account of :class:`UserSeeder` becomes ``super-admin`` (every Gate check passes, with
no permission of its own, as in Spatie's super-admin recipe) and the demo users ``user``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from app.models.user import User
from database.seeders.user_seeder import ADMIN_EMAIL, DEMO_USERS, demo_email
from foundry.database.seeding import Seeder
from foundry.permissions import Permission, Role

__all__ = ["PERMISSIONS", "ROLES", "RoleSeeder"]

#: Every permission the app checks (the admin API's).
PERMISSIONS: Final = (
    "users.view",
    "users.manage-access",
    "roles.view",
    "roles.manage",
    "permissions.view",
    "permissions.manage",
    "oauth-clients.manage",
    "oauth-clients.manage-any",
    "activity.view",
)

#: Each role's permissions. ``super-admin`` needs none: the Gate lets it through.
ROLES: Final[Mapping[str, Sequence[str]]] = {
    "super-admin": (),
    "admin": PERMISSIONS,
    "editor": ("users.view", "roles.view", "permissions.view"),
    "user": (),
}


class RoleSeeder(Seeder):
    """Creates what is missing and adds missing links; never removes anything."""

    async def run(self) -> None:
        session = self.session
        for name in PERMISSIONS:
            await Permission.find_or_create(session, name)
        for role_name, permissions in ROLES.items():
            role = await Role.find_or_create(session, role_name)
            if permissions:
                await role.give_permission_to(*permissions, session=session)
        users = await session.scalars(
            User.where_in(
                "email", [ADMIN_EMAIL, *(demo_email(n) for n in range(1, DEMO_USERS + 1))]
            )
        )
        for user in users:
            await user.assign_role(
                "super-admin" if user.email == ADMIN_EMAIL else "user", session=session
            )
        await session.flush()
