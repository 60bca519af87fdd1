"""What an administrator may see and change of roles and permissions, by team and super-admin.

With ``PERMISSION_TEAMS=true``:

- In a team (``X-Team-ID``) the roles in view are the team's own and the global ones (``team_id``
  NULL), as Spatie's ``Role::findById``/``findByName`` scope them: another team's roles do not
  exist (404), and roles are created in the current team (another ``team_id`` is a 403).
- Global roles and all permissions are shared by every team: only a *global administrator*
  changes them, one who holds the ability outside any team (links made with no team).
- Outside any team (no header) the caller passed its permission check on the links it holds
  outside any team: a global administrator, who sees and manages every team's roles.

With or without teams, the ``super-admin`` role is given, taken away, created, renamed or
changed only by a super-admin (here or outside any team): an admin allowed to assign roles could
otherwise make itself one.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import Select, or_

from foundry.kernel.errors import AuthorizationError
from foundry.permissions.auth_service_provider import SUPER_ADMIN
from foundry.permissions.checks import PermissionChecks, flatten_names
from foundry.permissions.operations import registry
from foundry.permissions.tables import Role
from foundry.permissions.teams import get_permissions_team_id, outside_teams

__all__ = [
    "current_team",
    "ensure_may_change_permissions",
    "ensure_may_change_role",
    "ensure_may_handle_super_admin",
    "holds_globally",
    "is_super_admin",
    "roles_in_view",
    "team_for_new_role",
]

#: Any statement selecting roles (rows or columns).
S = TypeVar("S", bound="Select[Any]")


def current_team() -> int | None:
    """The current team when teams are on, else None."""
    return get_permissions_team_id() if registry().settings.teams else None


def roles_in_view(statement: S) -> S:
    """``statement`` narrowed to the current team's roles and the global ones (in a team)."""
    team = current_team()
    if team is None:
        return statement
    return statement.where(or_(Role.team_id == team, Role.team_id.is_(None)))


def holds_globally(actor: PermissionChecks, ability: str) -> bool:
    """Whether ``actor`` may do ``ability`` outside any team (a global administrator)."""
    with outside_teams():
        return actor.can(ability)


def is_super_admin(actor: PermissionChecks) -> bool:
    """Whether ``actor`` holds ``super-admin`` in the current team or outside any team."""
    if actor.has_role(SUPER_ADMIN):
        return True
    with outside_teams():
        return actor.has_role(SUPER_ADMIN)


def ensure_may_handle_super_admin(actor: PermissionChecks, names: Iterable[str]) -> None:
    """403 ``super_admin_only`` when ``names`` hold ``super-admin`` and ``actor`` is not one.

    ``names`` are read as the role methods read them (``"admin|super-admin"`` names both).
    """
    if SUPER_ADMIN in flatten_names(names) and not is_super_admin(actor):
        raise AuthorizationError(
            f"Only a super-admin may grant, take away or change the `{SUPER_ADMIN}` role.",
            error="super_admin_only",
        )


def team_for_new_role(team_id: int | None) -> int | None:
    """The team a new role goes to: the current one; 403 ``other_team`` for another."""
    team = current_team()
    if team is None:
        return team_id
    if team_id is not None and team_id != team:
        raise AuthorizationError(
            f"Roles are created in the current team ({team}), not in team {team_id}.",
            error="other_team",
        )
    return team


def ensure_may_change_role(actor: PermissionChecks, role: Role, ability: str) -> None:
    """403 ``global_role`` when, in a team, ``role`` is global and ``actor`` is no global admin.

    ``role`` must come from :func:`roles_in_view`: another team's role is already a 404.
    """
    ensure_may_handle_super_admin(actor, [role.name])
    team = current_team()
    if team is None or role.team_id == team or holds_globally(actor, ability):
        return
    raise AuthorizationError(
        "A global role applies to every team: only a global administrator may change it.",
        error="global_role",
    )


def ensure_may_change_permissions(actor: PermissionChecks, ability: str) -> None:
    """403 ``global_permission`` when, in a team, ``actor`` is no global administrator."""
    if current_team() is None or holds_globally(actor, ability):
        return
    raise AuthorizationError(
        "Permissions are shared by every team: only a global administrator may change them.",
        error="global_permission",
    )
