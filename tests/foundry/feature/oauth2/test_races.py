"""Concurrent token requests on real connections (no shared test transaction).

Requests racing with one refresh token: exactly one wins, the others get ``invalid_grant``;
parallel client_credentials requests all succeed. Never a 500 (on SQLite, a read-then-write
transaction would fail with "database is locked").
"""

from __future__ import annotations

import asyncio

from sqlalchemy.ext.asyncio import AsyncSession

from foundry.config.oauth2 import OAuth2Settings
from foundry.http.app import create_app
from foundry.oauth2.clients import ClientRegistrar
from foundry.testing import TestClient, migrate_database
from tests.conftest import MakeApplication
from tests.foundry.feature.oauth2.conftest import PASSWORD


async def test_racing_refreshes_and_parallel_client_credentials(
    make_application: MakeApplication, database_url: str
) -> None:
    await migrate_database(database_url)
    application = make_application(DATABASE_URL=database_url, OAUTH2_PASSWORD_GRANT="true")
    async with application.container.scope() as scope:
        session = scope.make(AsyncSession)
        registrar = ClientRegistrar(session, scope.make(OAuth2Settings))
        machine = await registrar.create("M", grants=["client_credentials"])
        app_client = await registrar.create(
            "A", grants=["password", "refresh_token"], scopes=["offline_access"]
        )
        await session.commit()
    async with TestClient(create_app(application)) as client:
        body = {"name": "Ada", "email": "ada@example.com", "password": PASSWORD}
        await client.post("/api/v1/auth/register", json={**body, "password_confirmation": PASSWORD})
        machine_auth = (machine.client.client_id, machine.secret or "")
        parallel = await asyncio.gather(
            *(
                client.post(
                    "/oauth/token", data={"grant_type": "client_credentials"}, auth=machine_auth
                )
                for _ in range(8)
            )
        )
        assert [r.status_code for r in parallel] == [200] * 8
        app_auth = (app_client.client.client_id, app_client.secret or "")
        tokens = await client.post(
            "/oauth/token",
            data={
                "grant_type": "password",
                "username": "ada@example.com",
                "password": PASSWORD,
                "scope": "offline_access",
            },
            auth=app_auth,
        )
        refresh = tokens.json()["refresh_token"]
        racing = await asyncio.gather(
            *(
                client.post(
                    "/oauth/token",
                    data={"grant_type": "refresh_token", "refresh_token": refresh},
                    auth=app_auth,
                )
                for _ in range(4)
            )
        )
    statuses = sorted(r.status_code for r in racing)
    assert statuses == [200, 400, 400, 400], [r.text for r in racing]
