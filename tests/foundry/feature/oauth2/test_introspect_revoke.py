"""RFC 7662 introspection and RFC 7009 revocation, through authlib's client."""

from __future__ import annotations

from typing import Annotated, Any

import httpx
from fastapi import Depends, FastAPI

from foundry.http.scopes import AccessToken, require_scopes
from tests.foundry.feature.oauth2.conftest import (
    BASE,
    PASSWORD,
    MakeClient,
    Registered,
    oauth_client,
)
from tests.foundry.testbench.models import User

TOKEN = f"{BASE}/oauth/token"


def add_reports_route(app: FastAPI) -> None:
    """A resource route that machine clients may call with ``users:read``."""

    @app.get("/reports")
    async def reports(
        token: Annotated[AccessToken, Depends(require_scopes("users:read"))],
    ) -> dict[str, str | None]:
        return {"client_id": token.client_id}


async def client_token(
    http_app: FastAPI, make_client: MakeClient, **options: object
) -> tuple[Registered, dict[str, Any]]:
    registered = await make_client(grants=["client_credentials"], scopes=["users:read"], **options)
    async with oauth_client(http_app, registered, scope="users:read") as client:
        return registered, await client.fetch_token(TOKEN, grant_type="client_credentials")


async def test_introspection_reports_active_tokens_and_forgets_revoked_ones(
    http_app: FastAPI, make_client: MakeClient
) -> None:
    registered, token = await client_token(http_app, make_client)
    async with oauth_client(http_app, registered) as client:
        active = (
            await client.introspect_token(f"{BASE}/oauth/introspect", token=token["access_token"])
        ).json()
        assert active["active"] is True
        assert active["client_id"] == registered.client_id
        assert active["scope"] == "users:read"
        assert active["token_type"] == "Bearer"
        assert active["exp"] > active["iat"]
        revoked = await client.revoke_token(
            f"{BASE}/oauth/revoke", token=token["access_token"], token_type_hint="access_token"
        )
        assert revoked.status_code == 200
        after = (
            await client.introspect_token(f"{BASE}/oauth/introspect", token=token["access_token"])
        ).json()
        assert after == {"active": False}
        unknown = (
            await client.introspect_token(f"{BASE}/oauth/introspect", token="garbage")
        ).json()
        assert unknown == {"active": False}
        unknown_revoke = await client.revoke_token(f"{BASE}/oauth/revoke", token="garbage")
        assert unknown_revoke.status_code == 200


async def test_a_revoked_access_token_is_refused_by_resource_routes(
    http_app: FastAPI, http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    add_reports_route(http_app)
    registered, token = await client_token(http_app, make_client)
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    assert (await http.get("/reports", headers=headers)).status_code == 200
    await http.post(
        "/oauth/revoke",
        data={"token": token["access_token"]},
        auth=(registered.client_id, registered.secret or ""),
    )
    assert (await http.get("/reports", headers=headers)).status_code == 401


async def test_other_clients_cannot_introspect_or_revoke_a_token(
    http_app: FastAPI, http: httpx.AsyncClient, make_client: MakeClient
) -> None:
    _, token = await client_token(http_app, make_client)
    other = await make_client(grants=["client_credentials"], name="Other")
    auth = (other.client_id, other.secret or "")
    seen = await http.post("/oauth/introspect", data={"token": token["access_token"]}, auth=auth)
    assert seen.json() == {"active": False}
    refused = await http.post("/oauth/revoke", data={"token": token["access_token"]}, auth=auth)
    assert refused.status_code == 400
    assert refused.json()["error"] == "invalid_grant"


async def test_a_first_party_resource_server_may_introspect_any_token(
    http_app: FastAPI, http: httpx.AsyncClient, make_client: MakeClient
) -> None:
    _, token = await client_token(http_app, make_client)
    api = await make_client(grants=["client_credentials"], name="API", first_party=True)
    seen = await http.post(
        "/oauth/introspect",
        data={"token": token["access_token"]},
        auth=(api.client_id, api.secret or ""),
    )
    assert seen.json()["active"] is True


async def test_introspection_needs_client_authentication(
    http_app: FastAPI, http: httpx.AsyncClient, make_client: MakeClient
) -> None:
    registered, token = await client_token(http_app, make_client)
    anonymous = await http.post("/oauth/introspect", data={"token": token["access_token"]})
    wrong = await http.post(
        "/oauth/introspect",
        data={"token": token["access_token"]},
        auth=(registered.client_id, "wrong"),
    )
    for response in (anonymous, wrong):
        assert response.status_code == 401
        assert response.json()["error"] == "invalid_client"
        assert "www-authenticate" in response.headers
    missing = await http.post(
        "/oauth/introspect", data={}, auth=(registered.client_id, registered.secret or "")
    )
    assert missing.status_code == 400
    assert missing.json()["error"] == "invalid_request"


async def test_revoking_a_client_denies_its_outstanding_tokens(
    http_app: FastAPI, http: httpx.AsyncClient, user: User
) -> None:
    add_reports_route(http_app)
    login = await http.post(
        "/api/v1/auth/login", json={"email": "ada@example.com", "password": PASSWORD}
    )
    owner = {"Authorization": f"Bearer {login.json()['access_token']}"}
    created = await http.post(
        "/api/v1/oauth/clients",
        json={"name": "Machine", "grants": ["client_credentials"], "scopes": ["users:read"]},
        headers=owner,
    )
    client_id, secret = created.json()["data"]["client_id"], created.json()["client_secret"]
    token = await http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "scope": "users:read"},
        auth=(client_id, secret),
    )
    headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
    assert (await http.get("/reports", headers=headers)).status_code == 200
    assert (
        await http.delete(f"/api/v1/oauth/clients/{client_id}", headers=owner)
    ).status_code == 204
    assert (await http.get("/reports", headers=headers)).status_code == 401
