"""``client.acting_as(user, scopes=[...])`` and ``client.acting_as_client(client, scopes=[...])``:
requests as a user or an OAuth2 client, with no login and no token made by hand (issue 16,
item 10)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.config.oauth2 import OAuth2Settings
from foundry.http.app import create_app
from foundry.http.scopes import AccessToken, access_token, require_scopes
from foundry.kernel.application import Application
from foundry.oauth2.clients import ClientRegistrar
from foundry.oauth2.models import OAuthClient
from foundry.oauth2.services.client_service import ClientService
from foundry.permissions import Permission
from foundry.testing import TestClient
from tests.foundry.testbench.factories import UserFactory
from tests.foundry.testbench.models import User


@pytest.fixture
async def ada(session: AsyncSession) -> User:
    """A user allowed to list users (``GET /api/v1/users`` needs ``users.view``)."""
    user = await UserFactory.new().create(session, name="Ada", email="ada@example.com")
    await Permission.find_or_create(session, "users.view")
    await user.give_permission_to("users.view", session=session)
    await session.commit()
    return user


@pytest.fixture
async def reporter(application: Application, session: AsyncSession) -> OAuthClient:
    """A machine-to-machine client allowed ``profile`` and ``users:read``."""
    registrar = ClientRegistrar(session, application.container.make(OAuth2Settings))
    created = await registrar.create(
        "Reporting", grants=["client_credentials"], scopes=["profile", "users:read"]
    )
    await session.commit()
    return created.client


@pytest.fixture
async def api(application: Application, session: AsyncSession) -> AsyncIterator[TestClient]:
    """The full app plus two routes: who the token speaks for, and one needing a scope."""
    app = create_app(application)

    async def whoami(token: AccessToken = Depends(access_token)) -> dict[str, Any]:
        return {
            "user": None if token.user is None else token.user.email,
            "client_id": token.client_id,
            "scopes": None if token.scopes is None else sorted(token.scopes),
        }

    async def reports(token: AccessToken = Depends(require_scopes("profile"))) -> list[str]:
        return ["q1"]

    app.add_api_route("/testing/whoami", whoami, methods=["GET"])
    app.add_api_route("/testing/reports", reports, methods=["GET"])
    async with TestClient(app) as client:
        yield client


async def test_acting_as_a_user_is_a_first_party_login(api: TestClient, ada: User) -> None:
    api.acting_as(ada)

    (await api.get("/api/v1/auth/me")).assert_ok().assert_json_path("data.email", ada.email)
    (await api.get("/api/v1/users")).assert_ok().assert_json_path("data.0.name", "Ada")
    (await api.get("/testing/whoami")).assert_ok().assert_exact_json(
        {"user": "ada@example.com", "client_id": None, "scopes": None}
    )


async def test_acting_as_a_user_with_scopes_grants_only_those(api: TestClient, ada: User) -> None:
    api.acting_as(ada, scopes=["users:read"])

    (await api.get("/api/v1/users")).assert_ok()
    (await api.get("/testing/whoami")).assert_ok().assert_json(
        {"user": "ada@example.com", "scopes": ["users:read"]}
    )
    response = await api.get("/testing/reports")
    response.assert_forbidden().assert_json({"error": "insufficient_scope"})
    # Not a login token: first-party endpoints refuse it, as they refuse any OAuth2 token.
    response = await api.patch("/api/v1/auth/me", json={"name": "Ada L."})
    response.assert_forbidden().assert_json({"error": "first_party_token_required"})


async def test_scopes_do_not_lift_what_the_users_permissions_forbid(
    api: TestClient, session: AsyncSession
) -> None:
    bob = await UserFactory.new().create(session, name="Bob")
    await session.commit()

    response = await api.acting_as(bob, scopes=["users:read"]).get("/api/v1/users")

    response.assert_forbidden()


async def test_acting_as_a_user_through_a_named_client(
    api: TestClient, ada: User, reporter: OAuthClient
) -> None:
    api.acting_as(ada, scopes=["profile"], client=reporter)

    (await api.get("/testing/reports")).assert_ok().assert_exact_json(["q1"])
    (await api.get("/testing/whoami")).assert_json({"client_id": reporter.client_id})
    with pytest.raises(ValueError, match="may not ask for admin"):
        api.acting_as(ada, scopes=["admin"], client=reporter)


async def test_acting_as_a_client_is_machine_to_machine(
    api: TestClient, reporter: OAuthClient
) -> None:
    api.acting_as_client(reporter, scopes=["profile"])

    (await api.get("/testing/reports")).assert_ok()
    (await api.get("/testing/whoami")).assert_ok().assert_exact_json(
        {"user": None, "client_id": reporter.client_id, "scopes": ["profile"]}
    )


async def test_acting_as_a_client_defaults_to_its_allowed_scopes(
    api: TestClient, reporter: OAuthClient
) -> None:
    response = await api.acting_as_client(reporter).get("/testing/whoami")

    response.assert_ok().assert_json_path("scopes", ["profile", "users:read"])


async def test_a_client_without_the_scope_gets_403(api: TestClient, reporter: OAuthClient) -> None:
    response = await api.acting_as_client(reporter, scopes=["users:read"]).get("/testing/reports")

    response.assert_forbidden().assert_json({"error": "insufficient_scope"})
    with pytest.raises(ValueError, match="may not ask for admin"):
        api.acting_as_client(reporter, scopes=["admin"])


async def test_a_revoked_client_token_is_refused_like_a_real_one(
    api: TestClient, application: Application, reporter: OAuthClient
) -> None:
    api.acting_as_client(reporter, scopes=["profile"])
    async with application.container.scope() as scope:
        await scope.make(ClientService).revoke(reporter.client_id, None)

    (await api.get("/testing/reports")).assert_unauthorized()


async def test_the_client_fixture_acts_as_a_user_without_more_set_up(
    client: TestClient, ada: User
) -> None:
    (await client.acting_as(ada).get("/api/v1/auth/me")).assert_ok()
    (await client.without_token().get("/api/v1/auth/me")).assert_unauthorized()


def test_a_client_over_a_bare_asgi_app_says_what_acting_as_needs() -> None:
    async def bare(scope: Any, receive: Any, send: Any) -> None:
        raise AssertionError("never called")

    with pytest.raises(RuntimeError, match="acting_as needs the application"):
        TestClient(bare).acting_as_client("reporting")
