"""``require_scopes``/``require_any_scope`` with login, OAuth user, and client tokens."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import parse_qsl

import httpx
from fastapi import Depends, FastAPI

from foundry.http.scopes import AccessToken, require_any_scope, require_scopes
from tests.foundry.feature.oauth2.browser import authorize
from tests.foundry.feature.oauth2.conftest import BASE, PASSWORD, REDIRECT, MakeClient, oauth_client
from tests.foundry.feature.oauth2.test_authorize_security import VERIFIER, authorize_url
from tests.foundry.testbench.models import User


def add_routes(app: FastAPI) -> None:
    @app.get("/both")
    async def both(
        token: Annotated[AccessToken, Depends(require_scopes("profile", "users:read"))],
    ) -> dict[str, object]:
        return {"user": token.user.id if token.user else None, "client": token.client_id}

    @app.get("/either")
    async def either(
        token: Annotated[AccessToken, Depends(require_any_scope("profile", "users:read"))],
    ) -> dict[str, object]:
        return {"user": token.user.id if token.user else None, "client": token.client_id}


async def test_scopes_per_kind_of_token(
    http_app: FastAPI, http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    add_routes(http_app)
    login = await http.post(
        "/api/v1/auth/login", json={"email": "ada@example.com", "password": PASSWORD}
    )
    first_party = {"Authorization": f"Bearer {login.json()['access_token']}"}
    assert (await http.get("/both", headers=first_party)).json() == {
        "user": user.id,
        "client": None,
    }

    registered = await make_client(public=True)
    async with oauth_client(
        http_app, registered, redirect_uri=REDIRECT, token_endpoint_auth_method="none"
    ) as client:
        location = await authorize(http, authorize_url(registered.client_id))
        token = await client.fetch_token(
            f"{BASE}/oauth/token", authorization_response=location, code_verifier=VERIFIER
        )
    oauth_user = {"Authorization": f"Bearer {token['access_token']}"}
    either = await http.get("/either", headers=oauth_user)
    assert either.json() == {"user": user.id, "client": registered.client_id}
    both = await http.get("/both", headers=oauth_user)
    assert both.status_code == 403 and both.json()["error"] == "insufficient_scope"
    users = await http.get("/api/v1/users", headers=oauth_user)
    assert users.status_code == 403

    machine = await make_client(grants=["client_credentials"], scopes=["users:read"], name="M")
    async with oauth_client(http_app, machine, scope="users:read") as client:
        cc = await client.fetch_token(f"{BASE}/oauth/token", grant_type="client_credentials")
    machine_headers = {"Authorization": f"Bearer {cc['access_token']}"}
    assert (await http.get("/either", headers=machine_headers)).json() == {
        "user": None,
        "client": machine.client_id,
    }
    # A client token names no user: user routes refuse it.
    assert (await http.get("/api/v1/auth/me", headers=machine_headers)).status_code == 401
    assert (await http.get("/either")).status_code == 401
    assert (await http.get("/either?access_token=" + cc["access_token"])).status_code == 401


async def test_an_oauth_token_cannot_approve_another_client(
    http_app: FastAPI, http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    registered = await make_client(public=True, first_party=True)
    async with oauth_client(
        http_app, registered, redirect_uri=REDIRECT, token_endpoint_auth_method="none"
    ) as client:
        location = await authorize(http, authorize_url(registered.client_id))
        token = await client.fetch_token(
            f"{BASE}/oauth/token", authorization_response=location, code_verifier=VERIFIER
        )
    target = await make_client(name="Target")
    fresh = httpx.AsyncClient(transport=httpx.ASGITransport(app=http_app), base_url=BASE)
    async with fresh:
        query = authorize_url(target.client_id).split("?", 1)[1]
        form = dict(parse_qsl(query)) | {"decision": "approve"}
        response = await fresh.post(
            "/oauth/authorize",
            data=form,
            headers={"Authorization": f"Bearer {token['access_token']}"},
        )
    assert response.status_code in (401, 403)
    assert "location" not in response.headers


async def test_account_management_needs_a_first_party_login_token(
    http_app: FastAPI, http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    registered = await make_client(public=True)
    async with oauth_client(
        http_app, registered, redirect_uri=REDIRECT, token_endpoint_auth_method="none"
    ) as client:
        location = await authorize(http, authorize_url(registered.client_id))
        token = await client.fetch_token(
            f"{BASE}/oauth/token", authorization_response=location, code_verifier=VERIFIER
        )
    created = await user.create_token("script", ["users:read", "profile"])
    for bearer in (token["access_token"], created.plain_text_token):
        headers = {"Authorization": f"Bearer {bearer}"}
        attempts = [
            await http.post(
                "/api/v1/personal-access-tokens", json={"name": "escalate"}, headers=headers
            ),
            await http.get("/api/v1/oauth/clients", headers=headers),
            await http.patch("/api/v1/auth/me", json={"email": "eve@example.com"}, headers=headers),
            await http.post("/api/v1/auth/logout-all", headers=headers),
        ]
        for response in attempts:
            assert response.status_code == 403, response.text
            assert response.json()["error"] == "first_party_token_required"
        assert (await http.get("/api/v1/auth/me", headers=headers)).status_code == 200
