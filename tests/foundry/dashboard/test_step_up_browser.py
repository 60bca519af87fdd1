"""In headless Chromium with a virtual authenticator (Chrome DevTools Protocol
``WebAuthn.addVirtualAuthenticator``), against the app served by uvicorn on ``localhost``: an
operator who registers a passkey is sent to the step-up page by the dashboard's next action,
confirms with the passkey and comes back; signing in again, the second step takes the passkey."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import ConsoleMessage, Page, expect

from foundry.kernel.application import Application
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.dashboard.support import PASSWORD, make_user, queue
from tests.foundry.dashboard.test_completed_api import ShipOrder
from tests.support.browser import LiveServer, live_server, open_browser
from tests.support.live_server import free_port

pytestmark = pytest.mark.browser

WITHIN = 10_000


@pytest.fixture
async def served(
    make_application: MakeApplication, tmp_path: Path
) -> AsyncIterator[tuple[str, Application]]:
    """The testbench app on ``http://localhost:PORT`` (a secure context: the RP id is
    ``localhost``), and an app on the same database and cache for the test's own writes."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'step-up.sqlite'}"
    await migrate_database(url)
    port = free_port()
    base = f"http://localhost:{port}"
    env = {
        "DATABASE_URL": url,
        "CACHE_STORE": "file",
        "CACHE_PATH": str(tmp_path / "cache"),
        "APP_URL": base,
        "WEBAUTHN_RP_ID": "localhost",
        "WEBAUTHN_ORIGINS": base,
    }
    application = make_application(**env)
    live: LiveServer
    with live_server(env, tmp_path / "server.log", port=port) as live:
        assert live.url.endswith(f":{port}")
        yield base, application


async def _sign_in(page: Page) -> None:
    await page.get_by_label("Email").fill("ops@example.com")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()


async def _pause(page: Page) -> None:
    row = page.locator('tr[data-queue="database:reports"]')
    await row.get_by_role("button", name="Pause queue reports (database)").click()
    await row.get_by_role("button", name="Yes, pause").click()


async def test_a_passkey_steps_the_dashboard_up_and_signs_in(
    served: tuple[str, Application],
) -> None:
    base, app = served
    await make_user(app, "ops@example.com", permissions=["queue.dashboard"])
    await queue(app, ShipOrder(1), on="reports")
    problems: list[str] = []
    async with open_browser() as browser:
        context = await browser.new_context(viewport={"width": 1280, "height": 800})
        page = await context.new_page()

        def console(message: ConsoleMessage) -> None:
            if message.type == "error" and "Failed to load resource" not in message.text:
                problems.append(f"{message.location['url']}: {message.text}")

        page.on("console", console)
        page.on("pageerror", lambda error: problems.append(str(error)))
        cdp = await context.new_cdp_session(page)
        await cdp.send("WebAuthn.enable")
        await cdp.send(
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

        # Signed in to the dashboard with a password (no factor yet), then a passkey is added.
        await page.goto(f"{base}/queue")
        await _sign_in(page)
        await page.wait_for_url(f"{base}/queue")
        await page.goto(f"{base}/auth/passkeys")
        await page.get_by_label("Email").fill("ops@example.com")
        await page.get_by_label("Password").fill(PASSWORD)
        await page.get_by_role("button", name="Sign in with a password").click()
        await page.get_by_label("Name of the new passkey").fill("Laptop")
        await page.get_by_role("button", name="Register a passkey").click()
        await expect(page.get_by_role("status")).to_have_text(
            "Passkey “Laptop” registered.", timeout=WITHIN
        )

        # The session never proved that factor: the action goes to the step-up page first.
        await page.goto(f"{base}/queue")
        await _pause(page)
        await page.wait_for_url(f"{base}/oauth/step-up?next=%2Fqueue", timeout=WITHIN)
        await expect(page.get_by_role("heading", name="Confirm it's you")).to_be_visible()
        await page.get_by_role("button", name="Use a passkey").click()
        await page.wait_for_url(f"{base}/queue", timeout=WITHIN)
        await _pause(page)
        await expect(page.locator("#flash")).to_contain_text("Paused reports", timeout=WITHIN)
        await expect(
            page.locator('tr[data-queue="database:reports"]').locator(".status")
        ).to_have_text("paused", timeout=WITHIN)

        # Signing in again: the second step offers the passkey, which signs in (and steps up).
        await context.clear_cookies()
        await page.goto(f"{base}/queue")
        await _sign_in(page)
        await expect(page.get_by_role("heading", name="Two-step verification")).to_be_visible()
        await page.get_by_role("button", name="Use a passkey").click()
        await page.wait_for_url(f"{base}/queue", timeout=WITHIN)
        row = page.locator('tr[data-queue="database:reports"]')
        await row.get_by_role("button", name="Continue queue reports (database)").click()
        await row.get_by_role("button", name="Yes, continue").click()
        await expect(page.locator("#flash")).to_contain_text("Continued reports", timeout=WITHIN)
    assert problems == []
