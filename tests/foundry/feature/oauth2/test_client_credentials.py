"""client_credentials end to end with authlib's client; token responses and their errors."""

from __future__ import annotations

import base64

import httpx
from fastapi import FastAPI
from joserfc import jwt
from joserfc.jwk import KeySet

from foundry.events import EventFake
from foundry.oauth2.events import AccessTokenCreated, OAuth2RequestFailed
from tests.foundry.feature.oauth2.conftest import BASE, MakeClient, oauth_client

TOKEN = f"{BASE}/oauth/token"


async def test_client_credentials_issues_an_rfc9068_jwt(
    events: EventFake, http_app: FastAPI, http: httpx.AsyncClient, make_client: MakeClient
) -> None:
    registered = await make_client(grants=["client_credentials"], scopes=["users:read"])
    async with oauth_client(http_app, registered, scope="users:read") as client:
        token = await client.fetch_token(TOKEN, grant_type="client_credentials")
    assert token["token_type"] == "Bearer"
    assert token["scope"] == "users:read"
    assert "refresh_token" not in token
    keys = KeySet.import_key_set((await http.get("/.well-known/jwks.json")).json())
    decoded = jwt.decode(token["access_token"], keys, algorithms=["RS256"])
    assert decoded.header["typ"] == "at+jwt"
    claims = decoded.claims
    assert claims["client_id"] == registered.client_id
    assert claims["sub"] == registered.client_id
    assert claims["scope"] == "users:read"
    assert claims["aud"] and claims["jti"] and claims["exp"] > claims["iat"]
    events.assert_dispatched(
        AccessTokenCreated,
        lambda e: e.grant_type == "client_credentials" and e.jti == claims["jti"],
    )


async def test_token_response_is_not_cached(
    http: httpx.AsyncClient, make_client: MakeClient
) -> None:
    registered = await make_client(grants=["client_credentials"])
    response = await http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        auth=(registered.client_id, registered.secret or ""),
    )
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["pragma"] == "no-cache"


async def test_wrong_secret_is_401_with_a_challenge(
    events: EventFake, http: httpx.AsyncClient, make_client: MakeClient
) -> None:
    registered = await make_client(grants=["client_credentials"])
    for auth in [(registered.client_id, "wrong"), ("unknown-client", "secret")]:
        response = await http.post(
            "/oauth/token", data={"grant_type": "client_credentials"}, auth=auth
        )
        assert response.status_code == 401
        assert response.json()["error"] == "invalid_client"
        assert response.headers["www-authenticate"].startswith("Basic")
        assert response.headers["cache-control"] == "no-store"
    events.assert_dispatched_times(OAuth2RequestFailed, 2)
    events.assert_dispatched(
        OAuth2RequestFailed,
        lambda e: e.error == "invalid_client" and e.grant_type == "client_credentials",
    )
    events.assert_not_dispatched(AccessTokenCreated)


async def test_secret_in_the_form_works_and_a_wrong_one_is_401(
    http: httpx.AsyncClient, make_client: MakeClient
) -> None:
    registered = await make_client(grants=["client_credentials"])
    good = {"grant_type": "client_credentials", "client_id": registered.client_id}
    ok = await http.post("/oauth/token", data={**good, "client_secret": registered.secret or ""})
    assert ok.status_code == 200
    bad = await http.post("/oauth/token", data={**good, "client_secret": "nope"})
    assert bad.status_code == 401
    assert bad.json()["error"] == "invalid_client"


async def test_bad_token_requests_get_rfc_errors(
    http: httpx.AsyncClient, make_client: MakeClient
) -> None:
    registered = await make_client(grants=["client_credentials"], scopes=["users:read"])
    auth = (registered.client_id, registered.secret or "")
    cases = [
        ({"grant_type": "implicit"}, "unsupported_grant_type"),
        ({}, "invalid_request"),
        ({"scope": "users:read"}, "invalid_request"),
        ({"grant_type": "client_credentials", "scope": "profile"}, "invalid_scope"),
        ({"grant_type": "client_credentials", "scope": "nonsense"}, "invalid_scope"),
        ({"grant_type": "client_credentials", "scope": " ".join(["x"] * 100)}, "invalid_scope"),
        ({"grant_type": "authorization_code", "code": "x"}, "unauthorized_client"),
    ]
    for data, error in cases:
        response = await http.post("/oauth/token", data=data, auth=auth)
        assert response.status_code == 400, (data, response.text)
        assert response.json()["error"] == error, data
        assert "error_description" in response.json()


async def test_duplicated_parameters_and_non_form_bodies_are_invalid_requests(
    http: httpx.AsyncClient, make_client: MakeClient
) -> None:
    registered = await make_client(grants=["client_credentials"])
    auth = (registered.client_id, registered.secret or "")
    duplicated = await http.post(
        "/oauth/token",
        content="grant_type=client_credentials&grant_type=client_credentials",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        auth=auth,
    )
    assert duplicated.status_code == 400
    assert duplicated.json()["error"] == "invalid_request"
    as_json = await http.post("/oauth/token", json={"grant_type": "client_credentials"}, auth=auth)
    assert as_json.status_code == 400
    assert as_json.json()["error"] == "invalid_request"
    garbage = base64.b64encode(b"\xff\xfe").decode()
    broken = await http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {garbage}"},
    )
    assert broken.status_code == 401


async def test_public_clients_cannot_use_client_credentials(
    http: httpx.AsyncClient, make_client: MakeClient
) -> None:
    registered = await make_client(grants=["authorization_code"], public=True)
    response = await http.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": registered.client_id},
    )
    assert response.status_code == 401
    assert response.json()["error"] == "invalid_client"


async def test_malformed_values_at_the_endpoints_are_4xx(
    http: httpx.AsyncClient, make_client: MakeClient
) -> None:
    registered = await make_client(grants=["client_credentials"])
    auth = (registered.client_id, registered.secret or "")
    for path, data in [
        ("/oauth/token", {"grant_type": 'x"y\\é'}),
        ("/oauth/token", {"grant_type": "authorization_code", "code": 'a"b\\'}),
        ("/oauth/token", {"grant_type": "refresh_token", "refresh_token": 'é"'}),
        ("/oauth/introspect", {"token": "x", "token_type_hint": 'a"b'}),
        ("/oauth/revoke", {"token": "x", "token_type_hint": 'a"b'}),
        ("/oauth/token?access_token=abc", {"grant_type": "client_credentials"}),
    ]:
        response = await http.post(path, data=data, auth=auth)
        assert 400 <= response.status_code < 500, (path, data, response.text)
        assert "error" in response.json()
