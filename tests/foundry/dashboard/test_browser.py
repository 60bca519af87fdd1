"""The queue dashboard in headless Chromium, against the testbench app served by uvicorn.

What an operator sees: signing in through the OAuth2 login page and coming back, the pending
and failed jobs, a secure job's payload with its secret redacted, retry and forget through the
buttons (one and many), a job that fails while the page is open showing up by itself, no CSP
refusals, and a page that fits a 375 px phone. A user without the permission gets the 403 page.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import ConsoleMessage, Page, expect

from foundry.kernel.application import Application
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.dashboard.sample_jobs import ChargeCard, SendInvoice
from tests.foundry.dashboard.support import PASSWORD, fail, make_user, queue
from tests.support.browser import LiveServer, live_server, open_browser

pytestmark = pytest.mark.browser

SECRET = "tok_live_4242424242"
#: Longer than the pages' 2 s polling interval, so a slow machine does not fail the test.
WITHIN = 8000


@pytest.fixture
async def served(
    make_application: MakeApplication, tmp_path: Path
) -> AsyncIterator[tuple[LiveServer, Application]]:
    """The testbench app served on a fresh SQLite database, and an app on the same database
    for the test's own writes (users, failing jobs)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'dashboard.sqlite'}"
    await migrate_database(url)
    application = make_application(DATABASE_URL=url)
    with live_server({"DATABASE_URL": url}, tmp_path / "server.log") as live:
        yield live, application


async def _sign_in(page: Page, email: str) -> None:
    await page.get_by_label("Email").fill(email)
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()


async def _fits(page: Page) -> bool:
    return bool(await page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth"))


async def test_an_operator_works_the_failed_jobs(
    served: tuple[LiveServer, Application],
) -> None:
    live, app = served
    await make_user(app, "ops@example.com", permissions=["queue.dashboard"])
    await make_user(app, "intern@example.com")
    await fail(app, SendInvoice(1), on="mail")
    await fail(app, ChargeCard("ada", SECRET), on="billing")
    await queue(app, SendInvoice(2), on="reports")
    problems: list[str] = []

    def console(message: ConsoleMessage) -> None:
        # CSP refusals and script errors land here; the OAuth2 login page has no icon.
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            problems.append(f"{message.location['url']}: {message.text}")

    async with open_browser() as browser:
        page = await browser.new_page()
        page.on("console", console)
        page.on("pageerror", lambda error: problems.append(str(error)))

        # A guest is sent to the login page and comes back.
        await page.goto(f"{live.url}/queue/jobs/pending")
        assert "/oauth/login" in page.url
        await _sign_in(page, "ops@example.com")
        await page.wait_for_url("**/queue/jobs/pending")
        pending = page.locator("#content tbody tr")
        await expect(pending).to_have_count(1)
        await expect(pending.first).to_contain_text("SendInvoice")
        await expect(pending.first).to_contain_text("database / reports")

        # Failed jobs, and the secure one's detail with its secret redacted.
        await page.get_by_role("link", name="Failed").click()
        failed = page.locator("#content tbody tr")
        await expect(failed).to_have_count(2)
        await expect(page.locator("#failed-count")).to_have_text("2")
        await page.get_by_role("link", name="ChargeCard").click()
        await expect(page.locator("#payload")).to_contain_text('"card_token": "redacted"')
        await expect(page.locator("#trace")).to_contain_text("ValueError: card declined")
        assert SECRET not in await page.content()
        await page.set_viewport_size({"width": 375, "height": 800})
        assert await _fits(page)
        await page.set_viewport_size({"width": 1280, "height": 800})

        # Retry one from its page: back to the list, which no longer has it.
        await page.get_by_role("button", name="Retry").click()
        await page.wait_for_url("**/queue/jobs/failed")
        await expect(page.locator("#flash")).to_have_text("Retried 1 job.")
        await expect(failed).to_have_count(1)

        # A job failing while the page is open shows up by itself.
        await fail(app, SendInvoice(3), on="mail")
        await expect(failed).to_have_count(2, timeout=WITHIN)
        await page.set_viewport_size({"width": 375, "height": 800})
        assert await _fits(page)
        await page.set_viewport_size({"width": 1280, "height": 800})

        # Retry many, forget one, forget many.
        await page.get_by_label("Select all failed jobs").check()
        await page.get_by_role("button", name="Retry selected").click()
        await expect(page.get_by_text("No failed jobs.")).to_be_visible()
        await expect(
            page.get_by_text("Failed jobs appear here with their exception.")
        ).to_be_visible()
        for number in (4, 5, 6):
            await fail(app, SendInvoice(number), on="mail")
        await expect(failed).to_have_count(3, timeout=WITHIN)
        await failed.first.get_by_role("button", name="Forget").click()
        await expect(failed).to_have_count(2)
        await page.get_by_label("Select all failed jobs").check()
        await page.get_by_role("button", name="Forget selected").click()
        await expect(page.get_by_text("No failed jobs.")).to_be_visible()

        # The retried jobs wait on their queues again.
        await page.get_by_role("link", name="Pending").click()
        await expect(pending).to_have_count(4)

        # Someone without the permission is refused.
        other = await browser.new_page()
        await other.goto(f"{live.url}/queue/jobs/failed")
        await _sign_in(other, "intern@example.com")
        await other.wait_for_url("**/queue/jobs/failed")
        await expect(other.get_by_role("heading", name="Not allowed")).to_be_visible()
        assert "queue.dashboard" in await other.content()
    assert problems == []
