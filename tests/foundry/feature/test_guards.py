"""``CurrentUser``, ``OptionalUser`` and ``VerifiedUser`` on a real route, with real tokens."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated

import pytest
from fastapi import APIRouter, Depends
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from starlette.requests import Request

from foundry.auth.jwt import JwtService
from foundry.http.app import create_app
from foundry.http.auth import CurrentUser, OptionalUser, VerifiedUser, request_user
from foundry.http.kernel import HttpKernel
from foundry.http.requests import FormRequest, Validated
from foundry.http.scopes import AccessToken, require_scopes
from foundry.kernel.application import Application
from foundry.testing import TestClient
from foundry.testing.queries import count_queries
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


class RenameRequest(FormRequest):
    name: str

    async def authorize(self, request: Request) -> bool:
        user = await request_user(request)
        return user is not None and user.has_verified_email


@router.post("/rename")
async def rename(
    data: Validated[RenameRequest],
    user: CurrentUser,
    token: Annotated[AccessToken, Depends(require_scopes("profile"))],
) -> dict[str, object]:
    return {"id": user.id, "name": data.name, "scopes": sorted(token.scopes or ["*"])}


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
    async with application.container.scope() as scope:
        db = scope.make(AsyncSession)
        await jwt.revoke(jwt.decode(token), db)
        await db.commit()
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


async def test_a_form_request_authorizes_with_the_request_user(
    client: TestClient, application: Application, users: dict[str, User]
) -> None:
    client.with_token(token_for(application, users["bob"]))  # not verified
    (await client.post("/api/v1/rename", json={"name": "B"})).assert_forbidden()

    client.with_token(token_for(application, users["ada"]))
    (await client.post("/api/v1/rename", json={"name": "A"})).assert_ok().assert_json(
        {"name": "A", "scopes": ["*"]}
    )


async def test_a_token_is_checked_once_however_many_guards_ask(
    client: TestClient, application: Application, users: dict[str, User], db: AsyncConnection
) -> None:
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        created = await users["ada"].create_token("cli", ["profile"], session=session)
        await session.commit()
    client.with_token(created.plain_text_token)

    # The form request, CurrentUser and require_scopes all ask who the token is.
    with count_queries(db) as queries:
        response = await client.post("/api/v1/rename", json={"name": "A"})

    response.assert_ok().assert_json({"scopes": ["profile"]})
    lookups = [s for s in queries.statements if "FROM personal_access_tokens" in s]
    assert len(lookups) == 1, queries.describe()
