"""The roles and permissions admin API: CRUD, assigning and revoking, effective permissions,
and every bad input as a clear 4xx (unknown names, other guards, malformed wildcards)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.jwt import JwtService
from foundry.http.app import create_app
from foundry.kernel.application import Application
from foundry.permissions import Permission, Role
from foundry.testing import TestClient, assert_database_count, assert_database_has
from foundry.testing.database import refresh_database
from foundry.testing.response import TestResponse
from tests.conftest import MakeApplication
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User

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
    """Requests as one user: the token goes on each request (``with_token`` is client-wide)."""

    client: TestClient
    token: str

    async def get(self, url: str) -> TestResponse:
        return await self.client.get(url, headers=self._auth())

    async def delete(self, url: str) -> TestResponse:
        return await self.client.delete(url, headers=self._auth())

    async def post(self, url: str, json: object) -> TestResponse:
        return await self.client.post(url, json=json, headers=self._auth())

    async def put(self, url: str, json: object) -> TestResponse:
        return await self.client.put(url, json=json, headers=self._auth())

    async def patch(self, url: str, json: object) -> TestResponse:
        return await self.client.patch(url, json=json, headers=self._auth())

    def _auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@dataclass
class Accounts:
    admin: Caller
    member: Caller
    member_id: int
    super_admin: Caller


async def _accounts(application: Application, client: TestClient) -> Accounts:
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        for name in (*ADMIN_PERMISSIONS, "articles.edit", "articles.delete"):
            await Permission.create(session, name=name)
        admin_role = await Role.create(session, name="admin")
        await admin_role.give_permission_to(*ADMIN_PERMISSIONS, session=session)
        await Role.create(session, name="super-admin")
        await Role.create(session, name="web-editor", guard_name="web")
        await Permission.create(session, name="posts.edit", guard_name="web")
        admin, member, root = await UserFactory.new().count(3).create_many(session)
        await admin.assign_role("admin", session=session)
        await root.assign_role("super-admin", session=session)
        await session.commit()
    jwt = application.container.make(JwtService)

    def as_user(user: User) -> Caller:
        return Caller(client, jwt.issue(str(user.id)).token)

    return Accounts(as_user(admin), as_user(member), member.id, as_user(root))


@pytest.fixture
async def accounts(application: Application, client: TestClient) -> Accounts:
    return await _accounts(application, client)


async def test_only_permitted_users_get_in(client: TestClient, accounts: Accounts) -> None:
    (await client.get("/api/v1/roles")).assert_forbidden().assert_json({"error": "not_logged_in"})
    response = await accounts.member.post("/api/v1/roles", json={"name": "x"})
    response.assert_forbidden().assert_json({"error": "missing_permission"})
    assert "roles.manage" in response.json()["message"]
    (await accounts.admin.get("/api/v1/roles")).assert_ok()
    # A super-admin holds no permission at all, and passes every check.
    (await accounts.super_admin.post("/api/v1/permissions", json={"name": "x.y"})).assert_created()


async def test_role_crud(accounts: Accounts, session: AsyncSession) -> None:
    created = await accounts.admin.post(
        "/api/v1/roles", json={"name": "editor", "permissions": ["articles.edit"]}
    )
    created.assert_created().assert_json(
        {"data": {"name": "editor", "guard_name": "api", "permissions": ["articles.edit"]}}
    )
    role_id = created.json()["data"]["id"]

    (await accounts.admin.get(f"/api/v1/roles/{role_id}")).assert_ok()
    names = [r["name"] for r in (await accounts.admin.get("/api/v1/roles")).json()["data"]]
    assert "editor" in names and "admin" in names

    updated = await accounts.admin.patch(
        f"/api/v1/roles/{role_id}",
        json={"name": "writer", "permissions": ["articles.delete", "articles.edit"]},
    )
    updated.assert_ok().assert_json(
        {"data": {"name": "writer", "permissions": ["articles.delete", "articles.edit"]}}
    )
    # Deleting a permission takes it from the roles holding it.
    made = await accounts.admin.post("/api/v1/permissions", json={"name": "articles.archive"})
    await accounts.admin.patch(
        f"/api/v1/roles/{role_id}", json={"permissions": ["articles.archive", "articles.edit"]}
    )
    archive_id = made.assert_created().json()["data"]["id"]
    (await accounts.admin.delete(f"/api/v1/permissions/{archive_id}")).assert_no_content()
    kept = (await accounts.admin.get(f"/api/v1/roles/{role_id}")).assert_ok()
    kept.assert_json({"data": {"permissions": ["articles.edit"]}})

    (await accounts.admin.delete(f"/api/v1/roles/{role_id}")).assert_no_content()
    (await accounts.admin.get(f"/api/v1/roles/{role_id}")).assert_not_found()
    await assert_database_count(session, "role_has_permissions", len(ADMIN_PERMISSIONS))


async def test_permission_crud(accounts: Accounts, session: AsyncSession) -> None:
    created = await accounts.admin.post("/api/v1/permissions", json={"name": "reports.view"})
    created.assert_created().assert_json({"data": {"name": "reports.view", "guard_name": "api"}})
    permission_id = created.json()["data"]["id"]

    renamed = await accounts.admin.patch(
        f"/api/v1/permissions/{permission_id}", json={"name": "reports.read"}
    )
    renamed.assert_ok().assert_json({"data": {"name": "reports.read"}})
    (await accounts.admin.get(f"/api/v1/permissions/{permission_id}")).assert_ok()
    (await accounts.admin.delete(f"/api/v1/permissions/{permission_id}")).assert_no_content()
    (await accounts.admin.delete(f"/api/v1/permissions/{permission_id}")).assert_not_found()
    await assert_database_has(session, "permissions", {"name": "articles.edit"})


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "error"),
    [
        ("post", "/api/v1/roles", {"name": "admin"}, 409, "role_already_exists"),
        (
            "post",
            "/api/v1/roles",
            {"name": "editor", "permissions": ["articles.fly"]},
            422,
            "permission_does_not_exist",
        ),
        (
            "post",
            "/api/v1/roles",
            {"name": "editor", "guard_name": "web", "permissions": ["articles.edit"]},
            422,
            "permission_does_not_exist",
        ),
        ("post", "/api/v1/roles", {"name": " padded "}, 422, "validation_failed"),
        ("post", "/api/v1/roles", {"name": ""}, 422, "validation_failed"),
        (
            "post",
            "/api/v1/permissions",
            {"name": "articles.edit"},
            409,
            "permission_already_exists",
        ),
        ("patch", "/api/v1/roles/999", {"name": "x"}, 404, "not_found"),
        ("patch", "/api/v1/permissions/999", {"name": "x"}, 404, "not_found"),
    ],
)
async def test_bad_role_and_permission_input(
    accounts: Accounts, method: str, path: str, body: dict[str, object], status: int, error: str
) -> None:
    response = await getattr(accounts.admin, method)(path, json=body)

    response.assert_status(status)
    if error == "validation_failed":
        response.assert_json_validation_errors("name")
    else:
        response.assert_json({"error": error})


async def test_assigning_and_revoking(accounts: Accounts) -> None:
    base = f"/api/v1/users/{accounts.member_id}"
    (await accounts.member.get("/api/v1/users")).assert_forbidden()

    given = await accounts.admin.post(f"{base}/roles", json={"roles": ["admin"]})
    given.assert_ok().assert_json({"data": {"roles": ["admin"]}})
    (await accounts.member.get("/api/v1/users")).assert_ok()  # the next request sees the role

    direct = await accounts.admin.post(
        f"{base}/permissions", json={"permissions": ["articles.edit"]}
    )
    body = direct.assert_ok().json()["data"]
    assert [p["name"] for p in body["direct_permissions"]] == ["articles.edit"]
    assert set(body["permissions"]) == {*ADMIN_PERMISSIONS, "articles.edit"}

    effective = (await accounts.admin.get(f"{base}/permissions")).assert_ok().json()["data"]
    assert effective["roles"] == ["admin"]
    assert sorted(p["name"] for p in effective["permissions_via_roles"]) == sorted(
        ADMIN_PERMISSIONS
    )

    (await accounts.admin.delete(f"{base}/roles/admin")).assert_ok().assert_json(
        {"data": {"roles": []}}
    )
    (await accounts.member.get("/api/v1/users")).assert_forbidden()
    revoked = await accounts.admin.delete(f"{base}/permissions/articles.edit")
    revoked.assert_ok().assert_json({"data": {"permissions": [], "direct_permissions": []}})

    # Only a super-admin makes another one.
    refused = await accounts.admin.put(f"{base}/roles", json={"roles": ["admin", "super-admin"]})
    refused.assert_forbidden().assert_json({"error": "super_admin_only"})
    synced = await accounts.super_admin.put(
        f"{base}/roles", json={"roles": ["admin", "super-admin"]}
    )
    synced.assert_ok().assert_json({"data": {"roles": ["admin", "super-admin"]}})
    synced = await accounts.admin.put(
        f"{base}/permissions", json={"permissions": ["articles.delete"]}
    )
    synced.assert_ok().assert_json({"data": {"direct_permissions": [{"name": "articles.delete"}]}})


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "error", "needle"),
    [
        ("post", "roles", {"roles": ["nobody"]}, 422, "role_does_not_exist", "nobody"),
        ("post", "roles", {"roles": ["web-editor"]}, 422, "role_does_not_exist", "guard `api`"),
        ("put", "roles", {"roles": ["admin", "ghost"]}, 422, "role_does_not_exist", "ghost"),
        ("delete", "roles/ghost", None, 422, "role_does_not_exist", "ghost"),
        (
            "post",
            "permissions",
            {"permissions": ["posts.edit"]},
            422,
            "permission_does_not_exist",
            "guard `api`",
        ),
        ("delete", "permissions/x.y", None, 422, "permission_does_not_exist", "x.y"),
        ("post", "roles", {"roles": "admin"}, 422, "validation_failed", "roles"),
    ],
)
async def test_bad_assignments(
    accounts: Accounts,
    method: str,
    path: str,
    body: dict[str, object] | None,
    status: int,
    error: str,
    needle: str,
) -> None:
    url = f"/api/v1/users/{accounts.member_id}/{path}"
    call = getattr(accounts.admin, method)
    response = await (call(url) if body is None else call(url, json=body))

    response.assert_status(status).assert_json(
        {"error": error} if status != 422 or error != "validation_failed" else {}
    )
    assert needle in response.text


async def test_an_unknown_user_is_a_404(accounts: Accounts) -> None:
    (await accounts.admin.get("/api/v1/users/99999/permissions")).assert_not_found()
    response = await accounts.admin.post("/api/v1/users/99999/roles", json={"roles": ["admin"]})
    response.assert_not_found()


@pytest.fixture
async def wildcard_client(
    make_application: MakeApplication, database_url: str
) -> AsyncIterator[tuple[TestClient, Application]]:
    application = make_application(DATABASE_URL=database_url, PERMISSION_WILDCARD="true")
    async with refresh_database(application):
        async with TestClient(create_app(application)) as test_client:
            yield test_client, application


@pytest.mark.parametrize(
    "name", ["articles..edit", "articles.*edit", "articles.edit,", "*.", "a, b"]
)
async def test_malformed_wildcards_are_a_422(
    wildcard_client: tuple[TestClient, Application], name: str
) -> None:
    client, application = wildcard_client
    accounts = await _accounts(application, client)

    response = await accounts.admin.post("/api/v1/permissions", json={"name": name})
    response.assert_status(422).assert_json({"error": "invalid_wildcard_permission"})
    (await accounts.admin.post("/api/v1/permissions", json={"name": "articles.*"})).assert_created()
