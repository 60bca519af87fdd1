"""``/auth/passkeys`` is served with the pages' headers and a script of its own (no inline one)."""

from __future__ import annotations

from foundry.testing import TestClient


async def test_the_page_and_its_script(client: TestClient) -> None:
    page = (await client.get("/auth/passkeys")).assert_ok()
    page.assert_header("X-Frame-Options", "DENY")
    policy = page.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src" not in policy  # scripts: 'self' only
    assert '<script src="/auth/passkeys/passkeys.js"></script>' in page.text
    assert 'data-api="/api/v1"' in page.text
    assert "Sign in with a passkey" in page.text

    script = (await client.get("/auth/passkeys/passkeys.js")).assert_ok()
    assert script.headers["content-type"].startswith("text/javascript")
    assert "navigator.credentials.create" in script.text
