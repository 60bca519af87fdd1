"""``CurrentUser``, ``OptionalUser`` and ``VerifiedUser`` on a real route, with real tokens."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from fastapi import APIRouter
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from foundry.auth.jwt import JwtService
from foundry.http.app import create_app
from foundry.http.auth import CurrentUser, OptionalUser, VerifiedUser
from foundry.http.kernel import HttpKernel
from foundry.kernel.application import Application
from foundry.testing import TestClient
from tests.foundry.testbench.models import User

router = APIRouter()


@router.get("/me")
async def me(user: CurrentUser) -> dict[str, object]:
    return {"id": user.id, "email": user.email}


@router.get("/maybe")
async def maybe(user: OptionalUser) -> dict[str, object]:
    return {"guest": user is None}


@router.get("/verified")
async def verified(user: VerifiedUser) -> dict[str, object]:
    return {"id": user.id}


@pytest.fixture
async def users(application: Application, db: AsyncConnection) -> dict[str, User]:
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        verified_at = datetime(2026, 1, 1, tzinfo=UTC)
        found = {
            "ada": User(
                name="Ada", email="ada@example.com", password="x", email_verified_at=verified_at
            ),
            "bob": User(name="Bob", email="bob@example.com", password="x"),
        }
        session.add_all(found.values())
        await session.commit()
    return found


@pytest.fixture
async def client(application: Application, users: dict[str, User]) -> AsyncIterator[TestClient]:
    app = create_app(application)
    HttpKernel.of(app).include(router, group="api", prefix="/api/v1")
    async with TestClient(app) as test_client:
        yield test_client


def token_for(application: Application, user: User) -> str:
    return application.container.make(JwtService).issue(str(user.id)).token


async def test_a_valid_token_names_the_user(
    client: TestClient, application: Application, users: dict[str, User]
) -> None:
    client.with_token(token_for(application, users["ada"]))
    (await client.get("/api/v1/me")).assert_ok().assert_json({"email": "ada@example.com"})
    (await client.get("/api/v1/maybe")).assert_ok().assert_json({"guest": False})


async def test_guests_get_401_with_a_bearer_challenge(client: TestClient) -> None:
    response = await client.get("/api/v1/me")
    response.assert_unauthorized().assert_header("WWW-Authenticate", "Bearer")
    response.assert_json({"message": "Unauthenticated.", "error": "unauthenticated"})
    (await client.get("/api/v1/maybe")).assert_ok().assert_json({"guest": True})


@pytest.mark.parametrize("header", ["Bearer garbage", "Bearer ", "Basic YWRhOnB3", "Bearer a.b.c"])
async def test_bad_credentials_are_401s(client: TestClient, header: str) -> None:
    response = await client.get("/api/v1/me", headers={"Authorization": header})
    response.assert_unauthorized().assert_header("WWW-Authenticate")


async def test_revoked_tokens_and_deleted_users_are_refused(
    client: TestClient, application: Application, users: dict[str, User]
) -> None:
    jwt = application.container.make(JwtService)
    token = token_for(application, users["ada"])
    await jwt.revoke(jwt.decode(token))
    response = await client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    response.assert_unauthorized().assert_json({"error": "invalid_token"})

    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        bob = await session.get(User, users["bob"].id)
        assert bob is not None
        bob.soft_delete()
        await session.commit()
    client.with_token(token_for(application, users["bob"]))
    (await client.get("/api/v1/me")).assert_unauthorized()


async def test_unverified_users_get_403_behind_verified_user(
    client: TestClient, application: Application, users: dict[str, User]
) -> None:
    client.with_token(token_for(application, users["bob"]))
    response = await client.get("/api/v1/verified")
    response.assert_forbidden().assert_json({"error": "email_not_verified"})
    client.with_token(token_for(application, users["ada"]))
    (await client.get("/api/v1/verified")).assert_ok()
