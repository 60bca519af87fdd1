"""Ids and headers no row can match are a 4xx at the edge, never a database error (a 500).

PostgreSQL's ``integer`` key overflows at 2**31 (``OverflowError``); ``"²".isdigit()`` is true but
``int("²")`` fails. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.jwt import JwtService
from foundry.http.app import create_app
from foundry.kernel.application import Application
from foundry.permissions import Permission, Role
from foundry.testing import TestClient
from foundry.testing.database import refresh_database
from tests.conftest import MakeApplication
from tests.foundry.testbench.factories import UserFactory

HUGE = "99999999999"


async def _admin_token(application: Application, session: AsyncSession) -> str:
    for name in ("roles.view", "users.view"):
        await Permission.create(session, name=name)
    role = await Role.create(session, name="admin")
    await role.give_permission_to("roles.view", "users.view", session=session)
    admin = await UserFactory.new().create(session)
    await admin.assign_role("admin", session=session)
    await session.commit()
    return application.container.make(JwtService).issue(str(admin.id)).token


@pytest.mark.parametrize(
    "path",
    [
        f"/api/v1/roles/{HUGE}",
        "/api/v1/roles/-1",
        f"/api/v1/users/{HUGE}/permissions",
    ],
)
async def test_path_ids_beyond_any_row_are_a_422(
    application: Application, client: TestClient, session: AsyncSession, path: str
) -> None:
    client.with_token(await _admin_token(application, session))

    response = await client.get(path)

    response.assert_unprocessable()
    assert "errors" in response.json()


async def test_a_personal_access_token_id_beyond_range_is_a_422(
    application: Application, client: TestClient, session: AsyncSession
) -> None:
    user = await UserFactory.new().create(session)
    await session.commit()
    client.with_token(application.container.make(JwtService).issue(str(user.id)).token)

    (await client.delete(f"/api/v1/personal-access-tokens/{HUGE}")).assert_unprocessable()


async def test_a_token_whose_subject_no_row_can_have_is_a_401(
    application: Application, client: TestClient, session: AsyncSession
) -> None:
    client.with_token(application.container.make(JwtService).issue(HUGE).token)

    (await client.get("/api/v1/auth/me")).assert_unauthorized()


@pytest.mark.parametrize("team", ["²", "³", HUGE, "0", "-1"])
async def test_team_headers_no_team_can_have_are_a_400(
    make_application: MakeApplication, database_url: str, team: str
) -> None:
    application = make_application(DATABASE_URL=database_url, PERMISSION_TEAMS="true")
    async with refresh_database(application):
        async with application.container.scope() as scope:
            token = await _admin_token(application, scope.make(AsyncSession))
        async with TestClient(create_app(application)) as client:
            client.with_token(token)
            # Sent as bytes, as a raw client would; the server reads headers as latin-1.
            headers = {"X-Team-ID": team.encode("latin-1")}
            response = await client.get("/api/v1/roles", headers=headers)
    response.assert_status(400).assert_json({"error": "invalid_team"})
