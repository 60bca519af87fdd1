"""``client.acting_as(user, scopes=[...])`` against the application's own routes."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from app.models.user import User
from database.factories import UserFactory
from foundry.permissions import Permission
from foundry.testing import TestClient


@pytest.fixture
async def viewer(session: AsyncSession) -> User:
    """A user holding ``users.view``, which ``GET /api/v1/users`` needs."""
    user = await UserFactory.new().create(session, name="Ada Lovelace")
    await Permission.create(session, name="users.view")
    await user.give_permission_to("users.view", session=session)
    await session.commit()
    return user


async def test_acting_as_a_user_signs_every_request_in(client: TestClient, viewer: User) -> None:
    response = await client.acting_as(viewer).get("/api/v1/users")

    response.assert_ok().assert_json_path("data.0.name", "Ada Lovelace")


async def test_a_token_without_the_routes_scope_is_refused(
    client: TestClient, viewer: User
) -> None:
    (await client.acting_as(viewer, scopes=["users:read"]).get("/api/v1/users")).assert_ok()

    response = await client.acting_as(viewer, scopes=["profile"]).get("/api/v1/users")

    response.assert_forbidden().assert_json({"error": "insufficient_scope"})
