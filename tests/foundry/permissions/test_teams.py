"""Teams: roles and permissions held per team, global roles usable in every team."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.kernel.application import Application
from foundry.permissions import (
    Permission,
    Role,
    RoleAlreadyExists,
    RoleDoesNotExist,
    set_permissions_team_id,
)
from foundry.permissions.tables.team import Team
from foundry.testing.database import refresh_database
from tests.conftest import MakeApplication
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User


@pytest.fixture
async def teams_app(
    make_application: MakeApplication, database_url: str
) -> AsyncIterator[Application]:
    application = make_application(DATABASE_URL=database_url, PERMISSION_TEAMS="true")
    async with refresh_database(application):
        yield application
    set_permissions_team_id(None)


async def test_roles_and_permissions_are_held_per_team(teams_app: Application) -> None:
    async with teams_app.container.scope() as scope:
        session = scope.make(AsyncSession)
        red, blue = Team(name="Red"), Team(name="Blue")
        session.add_all([red, blue])
        await session.flush()
        await Permission.create(session, name="articles.edit")
        member = await Role.create(session, name="member")  # global: no current team
        await member.give_permission_to("articles.edit", session=session)
        set_permissions_team_id(red.id)
        captain = await Role.create(session, name="captain")  # Red's own role
        assert captain.team_id == red.id and member.team_id is None
        user: User = await UserFactory.new().create(session)
        await user.assign_role("member", "captain", session=session)
        await user.give_permission_to("articles.edit", session=session)
        await session.commit()

        assert user.has_all_roles("member", "captain") and user.can("articles.edit")
        set_permissions_team_id(blue.id)
        assert not user.has_role("member|captain")
        assert not user.can("articles.edit")
        assert user.get_role_names() == []
        await user.assign_role("member", session=session)
        assert user.get_role_names() == ["member"] and user.has_permission_to("articles.edit")
        assert not user.has_direct_permission("articles.edit")

        # A fresh load sees the same split.
        set_permissions_team_id(red.id)
        await user.load_permissions(session)
        assert sorted(user.get_role_names()) == ["captain", "member"]


async def test_another_teams_role_is_not_found_and_global_names_are_kept(
    teams_app: Application,
) -> None:
    async with teams_app.container.scope() as scope:
        session = scope.make(AsyncSession)
        red, blue = Team(name="Red"), Team(name="Blue")
        session.add_all([red, blue])
        await session.flush()
        await Role.create(session, name="member")  # global
        set_permissions_team_id(red.id)
        captain = await Role.create(session, name="captain")
        user: User = await UserFactory.new().create(session)
        await user.load_permissions(session)

        set_permissions_team_id(blue.id)
        for given in (captain, captain.id):
            with pytest.raises(RoleDoesNotExist):
                await user.assign_role(given, session=session)
        # A team's role named like a global one would stand in for it in that team.
        with pytest.raises(RoleAlreadyExists):
            await Role.create(session, name="member")
        assert user.get_role_names() == []
