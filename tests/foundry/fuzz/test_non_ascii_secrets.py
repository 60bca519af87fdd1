"""A non-ASCII CSRF token, cookie signature or URL signature is a mismatch, not a 500.

``hmac.compare_digest`` raises ``TypeError`` on a ``str`` holding a non-ASCII character; the
property-based test found the OAuth2 sign-in form answering 500 to ``csrf_token=Ý``.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from foundry.kernel.compare import secrets_match
from foundry.kernel.signed_urls import UrlSigner
from foundry.testing import TestClient


@pytest.mark.parametrize("presented", ["Ý", "²", "٣", "😀"])
async def test_a_non_ascii_csrf_token_is_a_403(
    client: TestClient, db: AsyncConnection, presented: str
) -> None:
    await client.get("/oauth/login")

    response = await client.post(
        "/oauth/login",
        data={"csrf_token": presented, "email": "ada@example.com", "password": "password"},
    )

    response.assert_forbidden()


async def test_a_non_ascii_session_cookie_signature_is_no_session(
    client: TestClient, db: AsyncConnection
) -> None:
    page = await client.get("/oauth/login")
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found is not None
    cookie = client.http.cookies["foundry_oauth"]
    forged = cookie.rpartition(".")[0] + ".é"
    client.http.cookies.clear()

    response = await client.post(
        "/oauth/login",
        data={"csrf_token": found.group(1), "email": "ada@example.com", "password": "x"},
        headers={"Cookie": f"foundry_oauth={forged}".encode()},
    )

    response.assert_forbidden()


async def test_a_non_ascii_url_signature_is_an_invalid_signature(
    client: TestClient, db: AsyncConnection
) -> None:
    response = await client.get("/api/v1/auth/email/verify/1/abc?expires=1&signature=²")

    response.assert_forbidden().assert_json({"error": "invalid_signature"})


def test_secrets_match_compares_any_text() -> None:
    assert secrets_match("ÿ²", "ÿ²")
    assert not secrets_match("abc", "ab²")
    assert not UrlSigner(b"k" * 32).verify("https://app.test/verify?signature=٣")
