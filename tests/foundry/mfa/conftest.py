"""Fixtures of the MFA tests: the test factor registered, a user to log in as."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from foundry.kernel.application import Application
from foundry.mfa.factors import SecondFactorRegistry
from foundry.testing import TestClient
from tests.foundry.mfa.support import CODES, CodeFactor

PASSWORD = "correct horse battery staple"
API = "/api/v1/auth"


@pytest.fixture(autouse=True)
def code_factor(application: Application) -> Iterator[None]:
    application.container.make(SecondFactorRegistry).add(CodeFactor)
    CODES.clear()
    yield
    CODES.clear()


async def register(client: TestClient, email: str = "ada@example.com") -> dict[str, Any]:
    response = await client.post(
        f"{API}/register",
        json={
            "name": "Ada",
            "email": email,
            "password": PASSWORD,
            "password_confirmation": PASSWORD,
        },
    )
    response.assert_created()
    body: dict[str, Any] = response.json()
    return body


async def login(client: TestClient, email: str = "ada@example.com") -> dict[str, Any]:
    response = await client.post(f"{API}/login", json={"email": email, "password": PASSWORD})
    response.assert_ok()
    body: dict[str, Any] = response.json()
    return body


def bearer(body: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {body['access_token']}"}
