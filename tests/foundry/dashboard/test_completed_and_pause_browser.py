"""In headless Chromium against the app served by uvicorn: the Jobs page's Completed tab lists
jobs a worker ran (and one finishing while it is open), and the Overview's Pause/Continue
buttons ask first, then show the queue's new state."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import ConsoleMessage, Page, expect

from foundry.kernel.application import Application
from foundry.testing.database import migrate_database
from foundry.testing.queue import work_queue
from tests.conftest import MakeApplication
from tests.foundry.dashboard.support import PASSWORD, make_user, queue
from tests.foundry.dashboard.test_completed_api import ShipOrder
from tests.support.browser import LiveServer, live_server, open_browser

pytestmark = pytest.mark.browser

#: Longer than the pages' 2 s polling interval, so a slow machine does not fail the test.
WITHIN = 8000


@pytest.fixture
async def served(
    make_application: MakeApplication, tmp_path: Path
) -> AsyncIterator[tuple[LiveServer, Application]]:
    """The testbench app served on a fresh SQLite database, and an app on the same database
    (and cache) for the test's own writes and worker."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'dashboard.sqlite'}"
    await migrate_database(url)
    env = {"DATABASE_URL": url, "CACHE_STORE": "file", "CACHE_PATH": str(tmp_path / "cache")}
    application = make_application(**env)
    with live_server(env, tmp_path / "server.log") as live:
        yield live, application


async def _open(page: Page, url: str, problems: list[str]) -> None:
    def console(message: ConsoleMessage) -> None:
        # CSP refusals and script errors land here; the OAuth2 login page has no icon.
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            problems.append(f"{message.location['url']}: {message.text}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    await page.goto(url)
    await page.get_by_label("Email").fill("ops@example.com")
    await page.get_by_label("Password").fill(PASSWORD)
    await page.get_by_role("button", name="Sign in").click()


async def test_the_completed_tab_lists_jobs_a_worker_ran(
    served: tuple[LiveServer, Application],
) -> None:
    live, app = served
    await make_user(app, "ops@example.com", permissions=["queue.dashboard"])
    await queue(app, ShipOrder(1, "tok_live_4242"), on="orders")
    await work_queue(app, "database", queues=["orders"], timeout=3)
    problems: list[str] = []
    async with open_browser() as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        await _open(page, f"{live.url}/queue/jobs/pending", problems)
        await page.wait_for_url("**/queue/jobs/pending")
        await page.get_by_role("link", name="Completed").click()
        await page.wait_for_url("**/queue/jobs/completed")
        rows = page.locator("#completed-jobs tbody tr")
        await expect(rows).to_have_count(1)
        await expect(rows.first).to_contain_text("ShipOrder")
        await expect(rows.first).to_contain_text("database / orders")
        await expect(rows.first.locator("td[data-label=Runtime]")).to_contain_text("ms")
        await expect(rows.first.locator("td[data-label=Attempts]")).to_have_text("1")
        assert "tok_live_4242" not in await page.content()

        # A job that finishes while the page is open shows up by itself, newest first.
        await queue(app, ShipOrder(2), on="shipping")
        await work_queue(app, "database", queues=["shipping"], timeout=3)
        await expect(rows).to_have_count(2, timeout=WITHIN)
        await expect(rows.first).to_contain_text("database / shipping")

        # The queue filter.
        await page.get_by_label("Queue").fill("orders")
        await page.get_by_role("button", name="Search").click()
        await expect(rows).to_have_count(1)
        await expect(rows.first).to_contain_text("database / orders")
        assert page.url.endswith("/queue/jobs/completed?queue=orders")
    assert problems == []


async def test_an_operator_pauses_and_continues_a_queue_from_the_overview(
    served: tuple[LiveServer, Application],
) -> None:
    live, app = served
    await make_user(app, "ops@example.com", permissions=["queue.dashboard"])
    await queue(app, ShipOrder(1), on="reports")
    problems: list[str] = []
    async with open_browser() as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        await _open(page, f"{live.url}/queue", problems)
        await page.wait_for_url("**/queue")
        row = page.locator('tr[data-queue="database:reports"]')
        await expect(row.locator(".status")).to_have_text("no workers")

        # Pausing asks first; keeping it running changes nothing.
        await row.get_by_role("button", name="Pause queue reports (database)").click()
        await expect(row).to_contain_text("Pause reports?")
        await row.get_by_role("button", name="Cancel").click()
        await expect(row.locator(".status")).to_have_text("no workers")

        await row.get_by_role("button", name="Pause queue reports (database)").click()
        await row.get_by_role("button", name="Yes, pause").click()
        await expect(page.locator("#flash")).to_contain_text("Paused reports")
        await expect(row.locator(".status")).to_have_text("paused")
        await page.reload()
        await expect(row.locator(".status")).to_have_text("paused")  # the server's state

        await row.get_by_role("button", name="Continue queue reports (database)").click()
        await row.get_by_role("button", name="Yes, continue").click()
        await expect(page.locator("#flash")).to_contain_text("Continued reports")
        await expect(row.locator(".status")).to_have_text("no workers")
        await expect(
            row.get_by_role("button", name="Pause queue reports (database)")
        ).to_be_visible()
    assert problems == []
