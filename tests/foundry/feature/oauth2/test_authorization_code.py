"""authorization_code + PKCE and refresh_token end to end, with authlib's client and a browser."""

from __future__ import annotations

import secrets
from urllib.parse import parse_qs, urlsplit

import httpx
from fastapi import FastAPI

from foundry.events import EventFake
from foundry.oauth2.events import AccessTokenCreated, AuthorizationApproved, RefreshTokenReused
from tests.foundry.feature.oauth2.browser import approve, sign_in
from tests.foundry.feature.oauth2.conftest import BASE, REDIRECT, MakeClient, oauth_client
from tests.foundry.testbench.models import User

AUTHORIZE = f"{BASE}/oauth/authorize"
TOKEN = f"{BASE}/oauth/token"


async def test_code_flow_with_pkce_then_refresh_rotation(
    events: EventFake,
    http_app: FastAPI,
    http: httpx.AsyncClient,
    make_client: MakeClient,
    user: User,
) -> None:
    fake = events
    registered = await make_client(scopes=("profile", "offline_access"))
    verifier = secrets.token_urlsafe(48)
    async with oauth_client(
        http_app,
        registered,
        redirect_uri=REDIRECT,
        scope="profile offline_access",
        code_challenge_method="S256",
    ) as client:
        url, state = client.create_authorization_url(AUTHORIZE, code_verifier=verifier)
        consent = await sign_in(http, url)
        assert "Test client" in consent.text and "Read your name and email address" in consent.text
        assert consent.headers["x-frame-options"] == "DENY"
        assert "frame-ancestors 'none'" in consent.headers["content-security-policy"]
        # Browsers apply form-action to the redirect after the post: the client's origin is
        # allowed, nothing else.
        assert (
            "form-action 'self' https://client.example.com;"
            in consent.headers["content-security-policy"]
        )
        location = await approve(http, consent)
        assert location.startswith(REDIRECT + "?")
        assert parse_qs(urlsplit(location).query)["state"] == [state]
        token = await client.fetch_token(
            TOKEN, authorization_response=location, code_verifier=verifier
        )
        assert token["scope"] == "profile offline_access" and token["refresh_token"]
        me = await http.get(
            "/api/v1/auth/me", headers={"Authorization": f"Bearer {token['access_token']}"}
        )
        assert me.status_code == 200 and me.json()["data"]["email"] == "ada@example.com"

        rotated = await client.refresh_token(TOKEN, refresh_token=token["refresh_token"])
        assert rotated["refresh_token"] != token["refresh_token"]

    reuse = await http.post(
        "/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": token["refresh_token"]},
        auth=(registered.client_id, registered.secret or ""),
    )
    assert reuse.status_code == 400 and reuse.json()["error"] == "invalid_grant"
    # The reuse revoked the whole family: the rotated pair is dead too.
    after = await http.post(
        "/oauth/token",
        data={"grant_type": "refresh_token", "refresh_token": rotated["refresh_token"]},
        auth=(registered.client_id, registered.secret or ""),
    )
    assert after.status_code == 400
    revoked = await http.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {rotated['access_token']}"}
    )
    assert revoked.status_code == 401
    fake.assert_dispatched(AuthorizationApproved)
    fake.assert_dispatched(AccessTokenCreated, lambda e: e.grant_type == "authorization_code")
    fake.assert_dispatched(RefreshTokenReused)


async def test_a_replayed_code_fails_and_revokes_its_tokens(
    http_app: FastAPI, http: httpx.AsyncClient, make_client: MakeClient, user: User
) -> None:
    registered = await make_client(public=True)
    verifier = secrets.token_urlsafe(48)
    async with oauth_client(
        http_app,
        registered,
        redirect_uri=REDIRECT,
        scope="profile",
        code_challenge_method="S256",
        token_endpoint_auth_method="none",
    ) as client:
        url, _ = client.create_authorization_url(AUTHORIZE, code_verifier=verifier)
        location = await approve(http, await sign_in(http, url))
        token = await client.fetch_token(
            TOKEN, authorization_response=location, code_verifier=verifier
        )
    code = parse_qs(urlsplit(location).query)["code"][0]
    replay = await http.post(
        "/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": REDIRECT,
            "client_id": registered.client_id,
            "code_verifier": verifier,
        },
    )
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    me = await http.get(
        "/api/v1/auth/me", headers={"Authorization": f"Bearer {token['access_token']}"}
    )
    assert me.status_code == 401
