"""Checked by mypy only, never run: the Gate and the ``HasRoles`` checks are typed.

Each ``type: ignore[...]`` marks a call mypy must reject (``warn_unused_ignores`` fails the check
if it ever stops rejecting it).
"""

from __future__ import annotations

from typing import assert_type

from sqlalchemy.ext.asyncio import AsyncSession

from app.models.user import User
from foundry.permissions import Gate, Permissions, Response


async def well_typed(user: User, session: AsyncSession) -> None:
    assert_type(Gate.allows("update", object()), bool)
    assert_type(Gate.inspect("update"), Response)
    assert_type(user.can("articles.edit"), bool)
    assert_type(user.has_role("admin|editor"), bool)
    assert_type(user.get_role_names(), list[str])
    assert_type(await user.assign_role("editor", session=session), User)
    assert_type(await Permissions.user_has_permissions(session, 1, ["a"]), bool)


async def rejected(user: User, session: AsyncSession) -> None:
    Gate.allows(42)  # type: ignore[arg-type]
    user.has_permission_to(["a"])  # type: ignore[arg-type]
    user.assign_role("editor").done  # type: ignore[attr-defined]
    await Permissions.user_has_permissions(session, "1", ["a"])  # type: ignore[arg-type]
