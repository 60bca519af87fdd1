"""The passkeys page in headless Chromium with a virtual authenticator (Chrome DevTools Protocol
``WebAuthn.addVirtualAuthenticator``): a signed-in user registers a passkey, signs out, and
signs in again with the passkey alone. Served by uvicorn on ``http://localhost:PORT`` (a secure
context, RP id ``localhost``), on a fresh SQLite database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from playwright.async_api import ConsoleMessage, expect

from foundry.testing.database import migrate_database
from tests.support.browser import LiveServer, live_server, open_browser
from tests.support.live_server import free_port

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
WITHIN = 10_000


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[LiveServer]:
    """The testbench app on ``localhost``, its passkeys bound to that origin."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'passkeys.sqlite'}"
    await migrate_database(url)
    port = free_port()
    env = {
        "DATABASE_URL": url,
        "APP_URL": f"http://localhost:{port}",
        "WEBAUTHN_RP_ID": "localhost",
        "WEBAUTHN_ORIGINS": f"http://localhost:{port}",
    }
    with live_server(env, tmp_path / "server.log", port=port) as live:
        yield live


async def test_register_a_passkey_then_sign_in_with_it_passwordless(served: LiveServer) -> None:
    base = served.url.replace("127.0.0.1", "localhost")
    async with httpx.AsyncClient(base_url=base) as api:
        body = {"name": "Ada", "email": "ada@example.com", "password": PASSWORD}
        created = await api.post(
            "/api/v1/auth/register", json={**body, "password_confirmation": PASSWORD}
        )
        assert created.status_code == 201, created.text

    async with open_browser() as browser:
        context = await browser.new_context()
        page = await context.new_page()
        problems: list[str] = []

        def console(message: ConsoleMessage) -> None:
            if message.type == "error" and "Failed to load resource" not in message.text:
                problems.append(message.text)

        page.on("console", console)
        # Every request of the page answers (the browser's own favicon probe aside).
        page.on(
            "response",
            lambda r: (
                problems.append(f"{r.status} {r.url}")
                if r.status >= 400 and not r.url.endswith("/favicon.ico")
                else None
            ),
        )
        cdp = await context.new_cdp_session(page)
        await cdp.send("WebAuthn.enable")
        added = await cdp.send(
            "WebAuthn.addVirtualAuthenticator",
            {
                "options": {
                    "protocol": "ctap2",
                    "transport": "internal",
                    "hasResidentKey": True,
                    "hasUserVerification": True,
                    "isUserVerified": True,
                    "automaticPresenceSimulation": True,
                }
            },
        )

        await page.goto(f"{base}/auth/passkeys")
        await page.get_by_label("Email").fill("ada@example.com")
        await page.get_by_label("Password").fill(PASSWORD)
        await page.get_by_role("button", name="Sign in with a password").click()
        await expect(page.get_by_text("Signed in as Ada")).to_be_visible(timeout=WITHIN)

        await page.get_by_label("Name of the new passkey").fill("Work laptop")
        await page.get_by_role("button", name="Register a passkey").click()
        await expect(page.get_by_role("status")).to_have_text(
            "Passkey “Work laptop” registered.", timeout=WITHIN
        )
        await expect(page.locator("#passkey-list li")).to_have_text(["Work laptop Delete"])
        stored = await cdp.send(
            "WebAuthn.getCredentials", {"authenticatorId": added["authenticatorId"]}
        )
        assert [c["isResidentCredential"] for c in stored["credentials"]] == [True]

        await page.get_by_role("button", name="Sign out").click()
        await expect(page.get_by_role("button", name="Sign in with a passkey")).to_be_visible()
        await page.get_by_role("button", name="Sign in with a passkey").click()
        await expect(page.get_by_role("status")).to_have_text(
            "Signed in with a passkey.", timeout=WITHIN
        )
        await expect(
            page.get_by_text("Signed in as Ada (ada@example.com) with a passkey")
        ).to_be_visible()
        stored = await cdp.send(
            "WebAuthn.getCredentials", {"authenticatorId": added["authenticatorId"]}
        )
        assert stored["credentials"][0]["signCount"] >= 1
        assert problems == []
