"""Admin routes take first-party login tokens, or tokens carrying the ``admin`` scope, only.

An admin's personal access token made for a script, or a third-party client's ``profile`` token,
must not create roles or hand out ``admin`` (and every route that checks permissions says which
tokens it accepts: the route walk below).
"""

from __future__ import annotations

from collections.abc import Sequence

import pytest
from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.jwt import JwtService
from foundry.http.app import create_app
from foundry.http.guards import routes_without_token_rules
from foundry.http.kernel import HttpKernel
from foundry.http.permissions import require_permission
from foundry.kernel.application import Application
from foundry.permissions import Permission, Role
from foundry.testing import TestClient
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User

ADMIN_PERMISSIONS = ("roles.view", "roles.manage", "users.manage-access")


async def _admin(application: Application) -> User:
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        for name in ADMIN_PERMISSIONS:
            await Permission.create(session, name=name)
        role = await Role.create(session, name="admin")
        await role.give_permission_to(*ADMIN_PERMISSIONS, session=session)
        admin = await UserFactory.new().create(session)
        await admin.assign_role("admin", session=session)
        await session.commit()
    return admin


async def _personal_token(application: Application, user: User, scopes: Sequence[str]) -> str:
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        created = await user.create_token("script", scopes, session=session)
        await session.commit()
    return created.plain_text_token


@pytest.mark.usefixtures("db")
async def test_tokens_made_for_something_else_cannot_administer(
    application: Application, client: TestClient
) -> None:
    admin = await _admin(application)
    jwt = application.container.make(JwtService)
    profile_pat = await _personal_token(application, admin, ["profile"])
    client_token = jwt.issue(str(admin.id), claims={"client_id": "crm", "scope": "profile"}).token

    for token in (profile_pat, client_token):
        headers = {"Authorization": f"Bearer {token}"}
        created = await client.post("/api/v1/roles", json={"name": "owner"}, headers=headers)
        created.assert_forbidden().assert_json({"error": "insufficient_scope"})
        granted = await client.post(
            f"/api/v1/users/{admin.id}/roles", json={"roles": ["admin"]}, headers=headers
        )
        granted.assert_forbidden().assert_json({"error": "insufficient_scope"})
        (await client.get("/api/v1/auth/me", headers=headers)).assert_ok()


@pytest.mark.usefixtures("db")
async def test_login_tokens_and_admin_scoped_tokens_administer(
    application: Application, client: TestClient
) -> None:
    admin = await _admin(application)
    login = application.container.make(JwtService).issue(str(admin.id)).token
    admin_pat = await _personal_token(application, admin, ["admin"])

    for name, token in (("editor", login), ("auditor", admin_pat)):
        response = await client.post(
            "/api/v1/roles", json={"name": name}, headers={"Authorization": f"Bearer {token}"}
        )
        response.assert_created()


def test_every_route_that_checks_permissions_says_which_tokens_it_takes(
    application: Application,
) -> None:
    assert routes_without_token_rules(create_app(application)) == []


def test_a_route_checking_permissions_alone_is_found(application: Application) -> None:
    router = APIRouter()

    @router.get("/reports", dependencies=[Depends(require_permission("reports.view"))])
    async def reports() -> dict[str, str]:
        return {}

    app = create_app(application)
    HttpKernel.of(app).include(router, group="api", prefix="/api/v1")

    assert routes_without_token_rules(app) == ["GET /api/v1/reports"]
