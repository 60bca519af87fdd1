"""The current team (Spatie's ``setPermissionsTeamId``), per request or job.

A context variable: each request (and each job) runs in its own context, so a team set for one
never shows in another. Only read when ``PERMISSION_TEAMS=true``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.permissions.tables import NO_TEAM
from foundry.permissions.tables.team import Team

__all__ = [
    "get_permissions_team_id",
    "link_team_id",
    "outside_teams",
    "set_permissions_team_id",
    "team_exists",
]

_team: ContextVar[int | None] = ContextVar("foundry_permissions_team", default=None)


def set_permissions_team_id(team_id: int | None) -> None:
    """Make ``team_id`` the current team (None: no team) for the rest of this context."""
    _team.set(team_id)


def get_permissions_team_id() -> int | None:
    """The current team, or None."""
    return _team.get()


@contextmanager
def outside_teams() -> Iterator[None]:
    """No current team inside the block (checks read the links held outside any team)."""
    token = _team.set(None)
    try:
        yield
    finally:
        _team.reset(token)


def link_team_id(teams_enabled: bool) -> int:
    """The ``team_id`` a link made or checked now carries: the current team, else ``NO_TEAM``."""
    if not teams_enabled:
        return NO_TEAM
    team = _team.get()
    return NO_TEAM if team is None else team


async def team_exists(session: AsyncSession, team_id: int) -> bool:
    """Whether the ``teams`` table holds ``team_id``."""
    return await session.scalar(select(Team.id).where(Team.id == team_id)) is not None
