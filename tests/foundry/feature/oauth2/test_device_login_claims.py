"""Device-flow (RFC 8628) access tokens say how the user who approved the device signed in on
the browser (``amr``, ``acr``, ``auth_time``, ``mfa_at``), as the authorization-code flow's do,
and keep it across refreshes.

Before, a device approved by a user who signed in with a second factor got a token with neither
``amr`` nor ``acr`` (the authorization-code flow already carried them).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from foundry.auth.login_claims import ACR_MFA, ACR_PWD
from foundry.kernel.application import Application
from foundry.mfa.factors import SecondFactorRegistry
from foundry.oauth2.models.oauth_consent import OAuthDeviceCode
from tests.foundry.feature.oauth2.browser import hidden_fields, path_of
from tests.foundry.feature.oauth2.conftest import PASSWORD, MakeClient, Registered
from tests.foundry.feature.oauth2.test_device_flow import DEVICE_GRANT, poll, start
from tests.foundry.mfa.support import CODES, CodeFactor
from tests.foundry.testbench.models import User


@pytest.fixture(autouse=True)
def code_factor(application: Application) -> Iterator[None]:
    application.container.make(SecondFactorRegistry).add(CodeFactor)
    CODES.clear()
    yield
    CODES.clear()


def payload(token: str) -> dict[str, Any]:
    part = token.split(".")[1]
    claims: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return claims


async def approve_device(http: httpx.AsyncClient, user_code: str, code: str | None) -> None:
    """Sign in on the browser (with the second factor's ``code`` when given), then allow."""
    first = await http.get(f"/oauth/device?user_code={user_code}")
    assert first.status_code == 302
    login = await http.get(path_of(first.headers["location"]))
    signed = await http.post(
        "/oauth/login",
        data={**hidden_fields(login.text), "email": "ada@example.com", "password": PASSWORD},
    )
    if code is not None:
        assert "Two-step verification" in signed.text
        signed = await http.post(
            "/oauth/login/mfa", data={**hidden_fields(signed.text), "code": code}
        )
    assert signed.status_code == 303, signed.text
    page = await http.get(path_of(signed.headers["location"]))
    assert "asks to access your account" in page.text
    allowed = await http.post(
        "/oauth/device", data={**hidden_fields(page.text), "decision": "approve"}
    )
    assert allowed.status_code == 200 and "Done" in allowed.text


async def device_token(
    http: httpx.AsyncClient, registered: Registered, device_code: str, session: AsyncSession
) -> dict[str, Any]:
    await session.execute(update(OAuthDeviceCode).values(last_polled_at=None))
    await session.commit()
    answer = await poll(http, registered, device_code)
    assert answer.status_code == 200, answer.text
    token: dict[str, Any] = answer.json()
    return token


async def test_a_device_approved_after_a_second_factor_gets_it_in_its_tokens(
    http: httpx.AsyncClient, make_client: MakeClient, user: User, session: AsyncSession
) -> None:
    CODES[user.id] = "424242"
    registered = await make_client(
        grants=[DEVICE_GRANT, "refresh_token"], public=True, scopes=("profile", "offline_access")
    )
    started = await start(http, registered, "profile offline_access")
    await approve_device(http, started["user_code"], "424242")

    token = await device_token(http, registered, started["device_code"], session)

    claims = payload(token["access_token"])
    assert claims["amr"] == ["pwd", "otp"] and claims["acr"] == ACR_MFA
    assert isinstance(claims["mfa_at"], int) and isinstance(claims["auth_time"], int)
    refreshed = await http.post(
        "/oauth/token",
        data={
            "grant_type": "refresh_token",
            "refresh_token": token["refresh_token"],
            "client_id": registered.client_id,
        },
    )
    assert refreshed.status_code == 200, refreshed.text
    again = payload(refreshed.json()["access_token"])
    assert {k: again[k] for k in ("amr", "acr", "auth_time", "mfa_at")} == {
        k: claims[k] for k in ("amr", "acr", "auth_time", "mfa_at")
    }


async def test_a_device_approved_with_a_password_only_says_so(
    http: httpx.AsyncClient, make_client: MakeClient, user: User, session: AsyncSession
) -> None:
    registered = await make_client(grants=[DEVICE_GRANT], public=True, scopes=("profile",))
    started = await start(http, registered)
    await approve_device(http, started["user_code"], None)

    claims = payload(
        (await device_token(http, registered, started["device_code"], session))["access_token"]
    )

    assert claims["amr"] == ["pwd"] and claims["acr"] == ACR_PWD and "mfa_at" not in claims
