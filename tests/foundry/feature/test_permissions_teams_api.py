"""The roles and permissions admin API with ``PERMISSION_TEAMS=true``: a team's administrator
sees and changes its own team's roles only, global roles and permissions are changed by global
administrators only, and only a super-admin makes a super-admin."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.jwt import JwtService
from foundry.http.app import create_app
from foundry.kernel.application import Application
from foundry.permissions import Permission, Role, set_permissions_team_id
from foundry.permissions.tables import model_has_roles
from foundry.permissions.tables.team import Team
from foundry.testing import TestClient, assert_database_missing
from foundry.testing.database import refresh_database
from foundry.testing.response import TestResponse
from tests.conftest import MakeApplication
from tests.foundry.testbench.factories import UserFactory

ADMIN_PERMISSIONS = (
    "roles.view",
    "roles.manage",
    "permissions.view",
    "permissions.manage",
    "users.view",
    "users.manage-access",
)


@dataclass
class Caller:
    """Requests as one user, in one team (``team=None``: outside any team)."""

    client: TestClient
    token: str
    team: int | None = None

    def headers(self) -> dict[str, str]:
        found = {"Authorization": f"Bearer {self.token}"}
        if self.team is not None:
            found["X-Team-ID"] = str(self.team)
        return found

    async def get(self, url: str) -> TestResponse:
        return await self.client.get(url, headers=self.headers())

    async def delete(self, url: str) -> TestResponse:
        return await self.client.delete(url, headers=self.headers())

    async def post(self, url: str, json: object) -> TestResponse:
        return await self.client.post(url, json=json, headers=self.headers())

    async def patch(self, url: str, json: object) -> TestResponse:
        return await self.client.patch(url, json=json, headers=self.headers())


@dataclass
class World:
    """Teams Red and Blue, their own roles, global roles, and who administers what."""

    red: int
    blue: int
    red_admin: Caller  # holds the global ``admin`` role in Red only
    global_admin: Caller  # holds ``admin`` outside any team
    root: Caller  # holds ``super-admin`` outside any team
    red_admin_id: int
    member_id: int
    roles: dict[str, int] = field(default_factory=dict)


@pytest.fixture
async def teams(
    make_application: MakeApplication, database_url: str
) -> AsyncIterator[tuple[Application, TestClient]]:
    application = make_application(DATABASE_URL=database_url, PERMISSION_TEAMS="true")
    async with refresh_database(application):
        async with TestClient(create_app(application)) as client:
            yield application, client
    set_permissions_team_id(None)


@pytest.fixture
async def world(teams: tuple[Application, TestClient]) -> World:
    application, client = teams
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        red, blue = Team(name="Red"), Team(name="Blue")
        session.add_all([red, blue])
        await session.flush()
        for name in (*ADMIN_PERMISSIONS, "articles.edit"):
            await Permission.create(session, name=name)
        set_permissions_team_id(None)
        admin = await Role.create(session, name="admin")
        await admin.give_permission_to(*ADMIN_PERMISSIONS, session=session)
        roles = {role.name: role.id for role in [admin]}
        for name in ("super-admin", "member"):
            roles[name] = (await Role.create(session, name=name)).id
        for team, name in ((red, "red-captain"), (blue, "blue-captain")):
            roles[name] = (await Role.create(session, name=name, team_id=team.id)).id
        red_admin, global_admin, root, member = (
            await UserFactory.new().count(4).create_many(session)
        )
        await global_admin.assign_role("admin", session=session)
        await root.assign_role("super-admin", session=session)
        set_permissions_team_id(red.id)
        await red_admin.load_permissions(session)
        await red_admin.assign_role("admin", session=session)
        set_permissions_team_id(None)
        await session.commit()
    jwt = application.container.make(JwtService)

    def caller(user_id: int, team: int | None = None) -> Caller:
        return Caller(client, jwt.issue(str(user_id)).token, team)

    return World(
        red=red.id,
        blue=blue.id,
        red_admin=caller(red_admin.id, red.id),
        global_admin=caller(global_admin.id),
        root=caller(root.id),
        red_admin_id=red_admin.id,
        member_id=member.id,
        roles=roles,
    )


async def _role(application: Application, role_id: int) -> Role | None:
    async with application.container.scope() as scope:
        found = await scope.make(AsyncSession).get(Role, role_id)
        return found


async def test_a_team_admin_sees_its_team_and_the_global_roles(world: World) -> None:
    listed = (await world.red_admin.get("/api/v1/roles")).assert_ok().json()["data"]
    assert sorted(role["name"] for role in listed) == [
        "admin",
        "member",
        "red-captain",
        "super-admin",
    ]
    (await world.red_admin.get(f"/api/v1/roles/{world.roles['red-captain']}")).assert_ok()
    (await world.red_admin.get(f"/api/v1/roles/{world.roles['admin']}")).assert_ok()
    hidden = await world.red_admin.get(f"/api/v1/roles/{world.roles['blue-captain']}")
    hidden.assert_not_found().assert_json({"error": "not_found"})

    # A global administrator (outside any team) sees every team's roles.
    everything = (await world.global_admin.get("/api/v1/roles")).assert_ok().json()["data"]
    assert "blue-captain" in {role["name"] for role in everything}


async def test_another_teams_roles_cannot_be_changed(
    teams: tuple[Application, TestClient], world: World
) -> None:
    application, _ = teams
    blue_role = world.roles["blue-captain"]

    renamed = await world.red_admin.patch(f"/api/v1/roles/{blue_role}", json={"name": "mine"})
    renamed.assert_not_found()
    given = await world.red_admin.patch(
        f"/api/v1/roles/{blue_role}", json={"permissions": ["roles.manage"]}
    )
    given.assert_not_found()
    (await world.red_admin.delete(f"/api/v1/roles/{blue_role}")).assert_not_found()

    kept = await _role(application, blue_role)
    assert kept is not None and kept.name == "blue-captain"
    assigned = await world.red_admin.post(
        f"/api/v1/users/{world.member_id}/roles", json={"roles": ["blue-captain"]}
    )
    assigned.assert_status(422).assert_json({"error": "role_does_not_exist"})


async def test_roles_are_created_in_the_current_team(
    teams: tuple[Application, TestClient], world: World
) -> None:
    application, _ = teams
    made = await world.red_admin.post("/api/v1/roles", json={"name": "red-writer"})
    made.assert_created().assert_json({"data": {"name": "red-writer", "team_id": world.red}})

    elsewhere = await world.red_admin.post(
        "/api/v1/roles", json={"name": "blue-writer", "team_id": world.blue}
    )
    elsewhere.assert_forbidden().assert_json({"error": "other_team"})
    async with application.container.scope() as scope:
        await assert_database_missing(scope.make(AsyncSession), "roles", {"name": "blue-writer"})

    # A team role may not take a global role's name: in the team it would stand in for it.
    shadow = await world.red_admin.post("/api/v1/roles", json={"name": "member"})
    shadow.assert_status(409).assert_json({"error": "role_already_exists"})
    renamed = await world.red_admin.patch(
        f"/api/v1/roles/{world.roles['red-captain']}", json={"name": "member"}
    )
    renamed.assert_status(409).assert_json({"error": "role_already_exists"})


async def test_global_roles_change_only_for_global_administrators(
    teams: tuple[Application, TestClient], world: World
) -> None:
    application, _ = teams
    admin_role, member_role = world.roles["admin"], world.roles["member"]

    widened = await world.red_admin.patch(
        f"/api/v1/roles/{member_role}", json={"permissions": [*ADMIN_PERMISSIONS]}
    )
    widened.assert_forbidden().assert_json({"error": "global_role"})
    renamed = await world.red_admin.patch(f"/api/v1/roles/{admin_role}", json={"name": "boss"})
    renamed.assert_forbidden().assert_json({"error": "global_role"})
    deleted = await world.red_admin.delete(f"/api/v1/roles/{member_role}")
    deleted.assert_forbidden().assert_json({"error": "global_role"})
    kept = await _role(application, admin_role)
    assert kept is not None and kept.name == "admin"

    # The team's own role is the team admin's to change; global ones the global admin's.
    own = await world.red_admin.patch(
        f"/api/v1/roles/{world.roles['red-captain']}", json={"permissions": ["articles.edit"]}
    )
    own.assert_ok().assert_json({"data": {"permissions": ["articles.edit"]}})
    by_global = await world.global_admin.patch(
        f"/api/v1/roles/{member_role}", json={"name": "members"}
    )
    by_global.assert_ok().assert_json({"data": {"name": "members", "team_id": None}})


async def test_permissions_change_only_for_global_administrators(world: World) -> None:
    listed = (await world.red_admin.get("/api/v1/permissions")).assert_ok().json()["data"]
    edit_id = next(p["id"] for p in listed if p["name"] == "articles.edit")

    created = await world.red_admin.post("/api/v1/permissions", json={"name": "teams.rule"})
    created.assert_forbidden().assert_json({"error": "global_permission"})
    renamed = await world.red_admin.patch(
        f"/api/v1/permissions/{edit_id}", json={"name": "articles.rule"}
    )
    renamed.assert_forbidden().assert_json({"error": "global_permission"})
    deleted = await world.red_admin.delete(f"/api/v1/permissions/{edit_id}")
    deleted.assert_forbidden().assert_json({"error": "global_permission"})

    made = await world.global_admin.post("/api/v1/permissions", json={"name": "teams.rule"})
    made.assert_created()


async def test_only_a_super_admin_makes_a_super_admin(
    teams: tuple[Application, TestClient], world: World
) -> None:
    application, _ = teams
    url = f"/api/v1/users/{world.red_admin_id}/roles"

    for roles in (["super-admin"], ["admin|super-admin"]):
        selfmade = await world.red_admin.post(url, json={"roles": roles})
        selfmade.assert_forbidden().assert_json({"error": "super_admin_only"})
    named = await world.red_admin.post("/api/v1/roles", json={"name": "super-admin"})
    named.assert_forbidden().assert_json({"error": "super_admin_only"})
    by_global_admin = await world.global_admin.post(url, json={"roles": ["super-admin"]})
    by_global_admin.assert_forbidden().assert_json({"error": "super_admin_only"})
    async with application.container.scope() as scope:
        links = await scope.make(AsyncSession).scalars(
            select(model_has_roles.c.role_id).where(
                model_has_roles.c.model_id == world.red_admin_id
            )
        )
        assert list(links) == [world.roles["admin"]]

    granted = await world.root.post(url, json={"roles": ["super-admin"]})
    granted.assert_ok().assert_json({"data": {"roles": ["super-admin"]}})
