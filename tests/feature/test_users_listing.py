"""``GET /api/v1/users``: the ``users.view`` permission, pagination, each filter and sort,
``include=roles``, query count."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from app.models.user import User
from database.factories import UserFactory
from foundry.auth.jwt import JwtService
from foundry.kernel.application import Application
from foundry.permissions import Permission, Role
from foundry.testing import TestClient, assert_query_count

START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
async def users(application: Application, db: AsyncConnection) -> dict[str, User]:
    """Four users made a day apart (Ada first); Dan has not verified his email."""
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        people = [
            ("ada", "Ada Lovelace", "ada@analytical.example.com", True),
            ("bob", "Bob Byte", "bob@example.org", True),
            ("cy", "Cy Adams", "cy@example.org", True),
            ("dan", "Dan Dennett", "dan@analytical.example.com", False),
        ]
        made: dict[str, User] = {}
        for day, (key, name, email, verified) in enumerate(people):
            factory = UserFactory.new() if verified else UserFactory.new().unverified()
            made[key] = await factory.create(
                session, name=name, email=email, created_at=START + timedelta(days=day)
            )
        # Ada may list users; Bob is an editor (a role without that permission).
        await Permission.create(session, name="users.view")
        await Role.create(session, name="editor")
        await made["ada"].give_permission_to("users.view", session=session)
        await made["bob"].assign_role("editor", session=session)
        await session.commit()
    return made


@pytest.fixture
def signed_in(client: TestClient, application: Application, users: dict[str, User]) -> TestClient:
    return client.with_token(_token(application, users["ada"]))


async def _names(client: TestClient, query: str = "") -> list[str]:
    response = (await client.get(f"/api/v1/users{query}")).assert_ok()
    return [user["name"] for user in response.json()["data"]]


def _token(application: Application, user: User) -> str:
    return application.container.make(JwtService).issue(str(user.id)).token


async def test_guests_get_403_naming_the_permission(
    client: TestClient, users: dict[str, User]
) -> None:
    response = await client.get("/api/v1/users")

    response.assert_forbidden().assert_json({"error": "not_logged_in"})
    assert "users.view" in response.json()["message"]


async def test_a_bad_token_is_still_a_401(client: TestClient, users: dict[str, User]) -> None:
    response = await client.with_token("not-a-token").get("/api/v1/users")

    response.assert_unauthorized().assert_json({"error": "invalid_token"})


async def test_users_without_the_permission_get_403(
    client: TestClient, application: Application, users: dict[str, User]
) -> None:
    response = await client.with_token(_token(application, users["bob"])).get("/api/v1/users")

    response.assert_forbidden().assert_json(
        {
            "error": "missing_permission",
            "message": "User does not have the right permissions. "
            "Necessary permissions are users.view.",
        }
    )


async def test_include_roles(signed_in: TestClient) -> None:
    response = (await signed_in.get("/api/v1/users?include=roles&sort=name")).assert_ok()

    roles = {user["name"]: user["roles"] for user in response.json()["data"]}
    assert [role["name"] for role in roles["Bob Byte"]] == ["editor"]
    assert roles["Ada Lovelace"] == [] and roles["Dan Dennett"] == []
    # Without the include the key is left out.
    plain = (await signed_in.get("/api/v1/users")).assert_ok().json()
    assert all("roles" not in user for user in plain["data"])


async def test_the_listing_is_paginated_newest_first_without_secrets(
    signed_in: TestClient,
) -> None:
    response = (await signed_in.get("/api/v1/users?per_page=3")).assert_ok()

    body = response.json()
    assert [user["name"] for user in body["data"]] == ["Dan Dennett", "Cy Adams", "Bob Byte"]
    assert set(body["data"][0]) == {
        "id",
        "name",
        "email",
        "email_verified_at",
        "created_at",
        "updated_at",
    }
    assert "password" not in response.text and "$argon2" not in response.text
    response.assert_json({"meta": {"total": 4, "per_page": 3, "current_page": 1}})
    assert set(body["links"]) >= {"first", "next"}

    second = (await signed_in.get("/api/v1/users?per_page=3&page=2")).assert_ok().json()
    assert [user["name"] for user in second["data"]] == ["Ada Lovelace"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?filter[name]=ADA", ["Cy Adams", "Ada Lovelace"]),
        ("?filter[email]=analytical", ["Dan Dennett", "Ada Lovelace"]),
        ("?filter[verified]=true", ["Cy Adams", "Bob Byte", "Ada Lovelace"]),
        ("?filter[verified]=false", ["Dan Dennett"]),
        ("?filter[name]=a&filter[verified]=true&sort=name", ["Ada Lovelace", "Cy Adams"]),
        ("?sort=name", ["Ada Lovelace", "Bob Byte", "Cy Adams", "Dan Dennett"]),
        ("?sort=-name", ["Dan Dennett", "Cy Adams", "Bob Byte", "Ada Lovelace"]),
        ("?sort=created_at", ["Ada Lovelace", "Bob Byte", "Cy Adams", "Dan Dennett"]),
        ("?filter[name]=nobody", []),
    ],
)
async def test_filters_and_sorts(signed_in: TestClient, query: str, expected: list[str]) -> None:
    assert await _names(signed_in, query) == expected


async def test_a_partial_filter_treats_wildcards_as_text(signed_in: TestClient) -> None:
    assert await _names(signed_in, "?filter[name]=%25") == []
    assert await _names(signed_in, "?filter[email]=_") == []


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("?filter[password]=x", "invalid_filter"),
        ("?filter[id]=1", "invalid_filter"),
        ("?sort=email", "invalid_sort"),
        ("?include=permissions", "invalid_include"),
        ("?filter[verified]=maybe", "bad_request"),
    ],
)
async def test_what_is_not_allowed_is_a_400(signed_in: TestClient, query: str, error: str) -> None:
    response = await signed_in.get(f"/api/v1/users{query}")

    response.assert_status(400).assert_json({"error": error})


async def test_soft_deleted_users_are_not_listed(
    signed_in: TestClient, application: Application, users: dict[str, User]
) -> None:
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        bob = await session.get(User, users["bob"].id)
        assert bob is not None
        bob.soft_delete()
        await session.commit()

    assert "Bob Byte" not in await _names(signed_in)


async def test_the_query_count_does_not_grow_with_the_page(
    signed_in: TestClient, application: Application, db: AsyncConnection
) -> None:
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        await UserFactory.new().count(20).create_many(session)
        await session.commit()

    (await signed_in.get("/api/v1/users")).assert_ok()  # the user's permissions are now cached

    # The token's user, the total, the page (roles and permissions come from the cache): whatever
    # the page size.
    for per_page in (1, 24):
        async with assert_query_count(3, db):
            response = await signed_in.get(f"/api/v1/users?per_page={per_page}")
        response.assert_ok().assert_json_count(per_page, "data")
