"""RFC 8628 device code grant: device asks, user approves on another screen, device polls."""

from __future__ import annotations

from datetime import timedelta

import httpx
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.database import utcnow
from foundry.oauth2.models.oauth_consent import OAuthDeviceCode
from tests.foundry.feature.oauth2.browser import hidden_fields, path_of
from tests.foundry.feature.oauth2.conftest import (
    BASE,
    PASSWORD,
    MakeClient,
    Registered,
    oauth_client,
)
from tests.foundry.testbench.models import User

DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


async def start(
    http: httpx.AsyncClient, registered: Registered, scope: str = "profile"
) -> dict[str, str]:
    response = await http.post(
        "/oauth/device/code", data={"client_id": registered.client_id, "scope": scope}
    )
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    return dict(response.json())


async def poll(http: httpx.AsyncClient, registered: Registered, device_code: str) -> httpx.Response:
    return await http.post(
        "/oauth/token",
        data={
            "grant_type": DEVICE_GRANT,
            "device_code": device_code,
            "client_id": registered.client_id,
        },
    )


async def allow_on_the_web(
    http: httpx.AsyncClient, user_code: str, decision: str = "approve"
) -> None:
    first = await http.get(f"/oauth/device?user_code={user_code}")
    if first.status_code == 302:
        login = await http.get(path_of(first.headers["location"]))
        signed = await http.post(
            "/oauth/login",
            data={**hidden_fields(login.text), "email": "ada@example.com", "password": PASSWORD},
        )
        assert signed.status_code == 303
        first = await http.get(path_of(signed.headers["location"]))
    assert first.status_code == 200 and "asks to access your account" in first.text
    answer = await http.post(
        "/oauth/device", data={**hidden_fields(first.text), "decision": decision}
    )
    assert answer.status_code == 200


async def test_device_flow_pending_then_approved_then_spent(
    http_app: FastAPI,
    http: httpx.AsyncClient,
    make_client: MakeClient,
    user: User,
    session: AsyncSession,
) -> None:
    registered = await make_client(
        grants=[DEVICE_GRANT, "refresh_token"], public=True, scopes=("profile", "offline_access")
    )
    started = await start(http, registered, "profile offline_access")
    assert started["verification_uri"].endswith("/oauth/device")
    pending = await poll(http, registered, started["device_code"])
    assert pending.status_code == 400 and pending.json()["error"] == "authorization_pending"
    too_fast = await poll(http, registered, started["device_code"])
    assert too_fast.json()["error"] == "slow_down"
    await allow_on_the_web(http, started["user_code"])
    await session.execute(update(OAuthDeviceCode).values(last_polled_at=None))
    await session.commit()
    async with oauth_client(http_app, registered, token_endpoint_auth_method="none") as client:
        token = await client.fetch_token(
            f"{BASE}/oauth/token", grant_type=DEVICE_GRANT, device_code=started["device_code"]
        )
    assert token["scope"] == "profile offline_access" and token["refresh_token"]
    again = await poll(http, registered, started["device_code"])
    assert again.status_code == 400


async def test_denied_and_expired_device_codes(
    http: httpx.AsyncClient, make_client: MakeClient, user: User, session: AsyncSession
) -> None:
    registered = await make_client(grants=[DEVICE_GRANT], public=True)
    denied = await start(http, registered)
    await allow_on_the_web(http, denied["user_code"], "deny")
    answer = await poll(http, registered, denied["device_code"])
    assert answer.json()["error"] == "access_denied"
    expired = await start(http, registered)
    await session.execute(
        update(OAuthDeviceCode).values(expires_at=utcnow() - timedelta(seconds=1))
    )
    await session.commit()
    answer = await poll(http, registered, expired["device_code"])
    assert answer.json()["error"] == "expired_token"
    bad_page = await http.get("/oauth/device?user_code=NOPE-NOPE")
    assert bad_page.status_code == 400


async def test_device_codes_need_a_client_allowed_to_use_them(
    http: httpx.AsyncClient, make_client: MakeClient
) -> None:
    registered = await make_client(public=True)
    refused = await http.post("/oauth/device/code", data={"client_id": registered.client_id})
    assert refused.status_code == 400 and refused.json()["error"] == "unauthorized_client"
    unknown = await http.post("/oauth/device/code", data={"client_id": "nobody"})
    assert unknown.status_code == 401 and unknown.json()["error"] == "invalid_client"
    allowed = await make_client(grants=[DEVICE_GRANT], public=True, name="TV")
    bad_scope = await http.post(
        "/oauth/device/code", data={"client_id": allowed.client_id, "scope": "admin"}
    )
    assert bad_scope.status_code == 400 and bad_scope.json()["error"] == "invalid_scope"
