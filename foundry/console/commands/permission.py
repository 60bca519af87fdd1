"""``permission:*`` and ``user:assign-role``: roles and permissions from the command line.

::

    artisan permission:create-role editor articles.edit articles.publish [--guard api] [--team 3]
    artisan permission:create-permission articles.edit [--guard api]
    artisan permission:show [--guard api]       # a role x permission table
    artisan permission:cache-reset
    artisan user:assign-role ada@example.com editor

As Spatie's commands: ``create-role`` creates what is missing (the role and its permissions) and
links them; running it again changes nothing. Heavy imports wait until a command runs.
"""

from __future__ import annotations

from typing import Annotated

import typer

from foundry.console.context import CommandError
from foundry.console.output import Output
from foundry.console.runtime import load_config, run_in_application
from foundry.kernel.application import Application
from foundry.kernel.container import Container

__all__ = [
    "permission_cache_reset",
    "permission_create_permission",
    "permission_create_role",
    "permission_show",
    "user_assign_role",
]

GuardOption = Annotated[
    str | None, typer.Option("--guard", help="The guard (default: PERMISSION_GUARD)")
]


def permission_create_role(
    name: Annotated[str, typer.Argument(help="The role's name")],
    permissions: Annotated[
        list[str] | None, typer.Argument(help="Permissions to give it (created when missing)")
    ] = None,
    guard: GuardOption = None,
    team: Annotated[
        int | None, typer.Option("--team", help="The team id (with PERMISSION_TEAMS=true)")
    ] = None,
) -> None:
    """Create a role (if missing) and give it permissions."""

    async def work(application: Application, scope: Container) -> tuple[bool, list[str]]:
        from sqlalchemy.ext.asyncio import AsyncSession

        from foundry.permissions import Permission, Role, RoleDoesNotExist, operations

        session = scope.make(AsyncSession)
        if team is not None:
            from foundry.permissions import set_permissions_team_id

            set_permissions_team_id(team)
        try:
            role = await operations.find_role(session, name, guard, team)
            created = False
        except RoleDoesNotExist:
            role = await Role.create(session, name=name, guard_name=guard, team_id=team)
            created = True
        given = [
            await Permission.find_or_create(session, permission, role.guard_name)
            for permission in permissions or []
        ]
        await role.give_permission_to(*given, session=session)
        await session.commit()
        return created, sorted(p.name for p in role.permissions)

    created, names = run_in_application(work, load_config())
    output = Output()
    output.info(f"Role `{name}` {'created' if created else 'already exists'}.")
    if names:
        output.line(f"  Permissions: {', '.join(names)}")


def permission_create_permission(
    name: Annotated[str, typer.Argument(help="The permission's name")],
    guard: GuardOption = None,
) -> None:
    """Create a permission (if missing)."""

    async def work(application: Application, scope: Container) -> bool:
        from sqlalchemy.ext.asyncio import AsyncSession

        from foundry.permissions import Permission, PermissionDoesNotExist

        session = scope.make(AsyncSession)
        try:
            await Permission.find_by_name(session, name, guard)
            return False
        except PermissionDoesNotExist:
            await Permission.create(session, name=name, guard_name=guard)
            await session.commit()
            return True

    created = run_in_application(work, load_config())
    Output().info(f"Permission `{name}` {'created' if created else 'already exists'}.")


def permission_show(
    guard: Annotated[
        str | None, typer.Option("--guard", help="Only this guard (default: every guard)")
    ] = None,
) -> None:
    """Show a table of roles and permissions per guard."""

    async def work(
        application: Application, scope: Container
    ) -> list[tuple[str, list[str], list[list[str]]]]:
        from sqlalchemy import select
        from sqlalchemy.ext.asyncio import AsyncSession
        from sqlalchemy.orm import selectinload

        from foundry.permissions import Permission, Role

        session = scope.make(AsyncSession)
        roles = list(
            await session.scalars(
                select(Role).options(selectinload(Role.permissions)).order_by(Role.id)
            )
        )
        permissions = list(await session.scalars(select(Permission).order_by(Permission.name)))
        guards = sorted({r.guard_name for r in roles} | {p.guard_name for p in permissions})
        tables = []
        for guard_name in guards:
            if guard is not None and guard_name != guard:
                continue
            mine = [r for r in roles if r.guard_name == guard_name]
            headers = [f"{r.name}" + (f" (team {r.team_id})" if r.team_id else "") for r in mine]
            rows = [
                [p.name, *("✔" if p in r.permissions else "·" for r in mine)]
                for p in permissions
                if p.guard_name == guard_name
            ]
            tables.append((guard_name, headers, rows))
        return tables

    tables = run_in_application(work, load_config())
    output = Output()
    if not tables:
        output.info("No roles or permissions yet.")
    for guard_name, headers, rows in tables:
        output.heading(f"Guard: {guard_name}")
        output.table(["permission", *headers], rows)


def permission_cache_reset() -> None:
    """Reset the permission cache (every process reloads on its next check)."""

    async def work(application: Application, scope: Container) -> None:
        from foundry.permissions import PermissionRegistry

        await scope.make(PermissionRegistry).forget_cached_permissions()

    run_in_application(work, load_config())
    Output().info("Permission cache flushed.")


def user_assign_role(
    email: Annotated[str, typer.Argument(help="The user's email address")],
    role: Annotated[str, typer.Argument(help="The role's name")],
) -> None:
    """Assign a role to a user."""

    async def work(application: Application, scope: Container) -> None:
        from sqlalchemy.ext.asyncio import AsyncSession

        from foundry.auth.user_provider import UserProvider
        from foundry.permissions import RoleDoesNotExist

        session = scope.make(AsyncSession)
        user = await scope.make(UserProvider).find_by_email(session, email)
        if user is None:
            raise CommandError(f"No user has the email {email}.")
        try:
            await user.assign_role(role, session=session)
        except RoleDoesNotExist as exc:
            raise CommandError(exc.message) from None
        await session.commit()

    run_in_application(work, load_config())
    Output().info(f"Role `{role}` assigned to {email}.")
