"""``/api/v1/oauth/clients``: owners manage their own clients; secrets are shown once."""

from __future__ import annotations

import httpx
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.http.oauth_client_access import MANAGE, MANAGE_ANY
from tests.foundry.feature.oauth2.conftest import REDIRECT, grant
from tests.foundry.feature.oauth2.test_personal_access_tokens import login_headers
from tests.foundry.testbench.models import User

API = "/api/v1/oauth/clients"


async def test_create_list_update_rekey_and_revoke(http: httpx.AsyncClient, user: User) -> None:
    headers = await login_headers(http)
    created = await http.post(
        API,
        json={
            "name": "Billing",
            "redirect_uris": [REDIRECT],
            "grants": ["authorization_code", "refresh_token", "client_credentials"],
            "scopes": ["users:read"],
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    client_id, secret = created.json()["data"]["client_id"], created.json()["client_secret"]
    assert secret and created.json()["data"]["first_party"] is False
    listed = (await http.get(API, headers=headers)).json()["data"]
    assert [c["client_id"] for c in listed] == [client_id] and secret not in str(listed)
    renamed = await http.patch(f"{API}/{client_id}", json={"name": "Billing 2"}, headers=headers)
    assert renamed.json()["data"]["name"] == "Billing 2"
    token = await http.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
    )
    assert token.status_code == 200
    rekeyed = await http.post(f"{API}/{client_id}/secret", headers=headers)
    new_secret = rekeyed.json()["client_secret"]
    old = await http.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, secret)
    )
    assert old.status_code == 401
    issued = await http.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, new_secret)
    )
    assert (await http.delete(f"{API}/{client_id}", headers=headers)).status_code == 204
    # Tokens issued before the client was revoked are refused too (through their ``sid``).
    introspected = await http.post(
        "/oauth/introspect",
        data={"token": issued.json()["access_token"]},
        auth=(client_id, new_secret),
    )
    assert introspected.status_code == 401  # the revoked client cannot even authenticate
    revoked = await http.post(
        "/oauth/token", data={"grant_type": "client_credentials"}, auth=(client_id, new_secret)
    )
    assert revoked.status_code == 401


async def test_bad_client_input_is_422(http: httpx.AsyncClient, user: User) -> None:
    headers = await login_headers(http)
    for body, field in [
        ({"name": "x", "redirect_uris": ["not a uri"]}, "redirect_uris"),
        ({"name": "x", "redirect_uris": [REDIRECT], "grants": ["implicit"]}, "grants"),
        ({"name": "x", "redirect_uris": [REDIRECT], "grants": ["password"]}, "grants"),
        ({"name": "x", "redirect_uris": [REDIRECT], "scopes": ["root"]}, "scopes"),
        ({"name": "x", "grants": ["authorization_code"]}, "redirect_uris"),
        ({"name": "x", "public": True, "grants": ["client_credentials"]}, "grants"),
    ]:
        response = await http.post(API, json=body, headers=headers)
        assert response.status_code == 422, (body, response.text)
        assert field in response.json()["errors"], body


async def test_users_see_only_their_own_clients(
    http: httpx.AsyncClient, user: User, session: AsyncSession
) -> None:
    headers = await login_headers(http)
    created = await http.post(
        API, json={"name": "Mine", "redirect_uris": [REDIRECT]}, headers=headers
    )
    client_id = created.json()["data"]["client_id"]
    await http.post(
        "/api/v1/auth/register",
        json={
            "name": "Eve",
            "email": "eve@example.com",
            "password": "another long passphrase",
            "password_confirmation": "another long passphrase",
        },
    )
    eve_headers = await _login(http, "eve@example.com")
    forbidden = await http.get(API, headers=eve_headers)
    assert forbidden.status_code == 403
    assert forbidden.json()["error"] == "missing_permission"
    assert MANAGE in forbidden.json()["message"]
    eve = (await session.scalars(User.scope_email("eve@example.com"))).one()
    await grant(session, eve, MANAGE)
    assert (await http.get(API, headers=eve_headers)).json()["data"] == []
    assert (await http.get(f"{API}/{client_id}", headers=eve_headers)).status_code == 404
    assert (await http.delete(f"{API}/{client_id}", headers=eve_headers)).status_code == 404
    assert (await http.get(API)).status_code == 401


async def _login(http: httpx.AsyncClient, email: str) -> dict[str, str]:
    response = await http.post(
        "/api/v1/auth/login", json={"email": email, "password": "another long passphrase"}
    )
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def test_a_manager_of_every_client_sees_and_revokes_others_clients(
    http: httpx.AsyncClient, user: User, session: AsyncSession
) -> None:
    created = await http.post(
        API, json={"name": "Ada's", "redirect_uris": [REDIRECT]}, headers=await login_headers(http)
    )
    client_id = created.json()["data"]["client_id"]
    await http.post(
        "/api/v1/auth/register",
        json={
            "name": "Root",
            "email": "root@example.com",
            "password": "another long passphrase",
            "password_confirmation": "another long passphrase",
        },
    )
    root = (await session.scalars(User.scope_email("root@example.com"))).one()
    await grant(session, root, MANAGE, MANAGE_ANY)
    headers = await _login(http, "root@example.com")

    listed = (await http.get(API, headers=headers)).json()["data"]
    assert [c["client_id"] for c in listed] == [client_id]
    assert (await http.delete(f"{API}/{client_id}", headers=headers)).status_code == 204


async def test_confidential_clients_may_not_redirect_over_plain_http(
    http: httpx.AsyncClient, user: User
) -> None:
    headers = await login_headers(http)
    refused = await http.post(
        API, json={"name": "Web", "redirect_uris": ["http://app.example.com/cb"]}, headers=headers
    )
    assert refused.status_code == 422
    assert refused.json()["errors"]["redirect_uris"] == [
        "A confidential client's redirect URI must use https (http only on loopback): "
        "http://app.example.com/cb"
    ]
    local = await http.post(
        API, json={"name": "Dev", "redirect_uris": ["http://127.0.0.1:8080/cb"]}, headers=headers
    )
    assert local.status_code == 201, local.text
    client_id = local.json()["data"]["client_id"]
    changed = await http.patch(
        f"{API}/{client_id}", json={"redirect_uris": ["http://app.example.com/cb"]}, headers=headers
    )
    assert changed.status_code == 422 and "redirect_uris" in changed.json()["errors"]
    native = await http.post(
        API,
        json={"name": "CLI", "public": True, "redirect_uris": ["http://localhost:5000/cb"]},
        headers=headers,
    )
    assert native.status_code == 201, native.text
