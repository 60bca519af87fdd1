"""The Batches pages in headless Chromium, against the testbench app served by uvicorn.

What an operator sees: the empty state with its example, a batch appearing and its progress bar
moving while its jobs are worked with the page open, retrying a batch's failed job and its page
with the jobs still waiting, cancelling through the button and its confirmation, no console errors or CSP refusals, and
pages that fit a 375 px phone.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import ConsoleMessage, Page, expect

from foundry.kernel.application import Application
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.dashboard.support import PASSWORD, make_user
from tests.foundry.dashboard.test_batches_api import ImportRows, dispatch, work
from tests.support.browser import LiveServer, live_server, open_browser

pytestmark = pytest.mark.browser

#: Longer than the pages' 2 s polling interval, so a slow machine does not fail the test.
WITHIN = 8000


@pytest.fixture
async def served(
    make_application: MakeApplication, tmp_path: Path
) -> AsyncIterator[tuple[LiveServer, Application]]:
    """The testbench app served on a fresh SQLite database, and an app on the same database
    for the test's own writes (the user, batches, working their jobs)."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'batches.sqlite'}"
    await migrate_database(url)
    application = make_application(DATABASE_URL=url)
    with live_server({"DATABASE_URL": url}, tmp_path / "server.log") as live:
        yield live, application


async def _fits(page: Page) -> bool:
    await page.set_viewport_size({"width": 375, "height": 800})
    fits = await page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    await page.set_viewport_size({"width": 1280, "height": 800})
    return bool(fits)


async def test_an_operator_follows_retries_and_cancels_batches(
    served: tuple[LiveServer, Application], tmp_path: Path
) -> None:
    live, app = served
    await make_user(app, "ops@example.com", permissions=["queue.dashboard"])
    problems: list[str] = []

    def console(message: ConsoleMessage) -> None:
        # CSP refusals and script errors land here; the OAuth2 login page has no icon.
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            problems.append(f"{message.location['url']}: {message.text}")

    async with open_browser() as browser:
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        page.on("console", console)
        page.on("pageerror", lambda error: problems.append(str(error)))
        await page.goto(f"{live.url}/queue/batches")
        await page.get_by_label("Email").fill("ops@example.com")
        await page.get_by_label("Password").fill(PASSWORD)
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_url("**/queue/batches")

        # Nothing yet: the page says how to dispatch a batch.
        await expect(page.get_by_text("No batches yet.")).to_be_visible()
        await expect(page.locator(".code-example")).to_contain_text("batch([ImportRowsJob(path)")
        assert await _fits(page)

        # A batch dispatched while the page is open appears; its bar moves as jobs are worked.
        imports = await dispatch([ImportRows(n) for n in range(4)], name="Nightly import")
        row = page.locator(f'#content tr[data-id="{imports}"]')
        await expect(row).to_contain_text("Nightly import", timeout=WITHIN)
        bar = row.get_by_role("progressbar")
        await expect(bar).to_have_attribute("aria-valuenow", "0")
        await expect(row).to_contain_text("4 total · 4 pending · 0 failed")
        await work(app, 2)
        await expect(bar).to_have_attribute("aria-valuenow", "50", timeout=WITHIN)
        await expect(row).to_contain_text("50%")
        await work(app, 2)
        await expect(row.locator(".badge")).to_have_text("Finished", timeout=WITHIN)
        assert await _fits(page)

        # A batch with a failed job: retry it from the batch's page.
        marker = tmp_path / "locked"
        marker.touch()
        flaky = await dispatch([ImportRows(1, str(marker))], name="Flaky", allow_failures=True)
        await work(app, 1)
        marker.unlink()
        await page.goto(f"{live.url}/queue/batches/{flaky}")
        await expect(page.locator(".error-line")).to_contain_text("import file is locked")
        await page.get_by_role("button", name="Retry failed jobs").click()
        await page.get_by_role("button", name="Yes, retry them").click()
        await expect(page.locator("#flash")).to_have_text("Retried 1 job.")
        await expect(page.get_by_text("Retried, waiting to run again")).to_be_visible()
        await work(app, 1)
        await expect(page.locator(".batch-summary .badge")).to_have_text("Finished", timeout=WITHIN)
        await page.go_back()
        await page.wait_for_url("**/queue/batches")

        # Another batch: its page lists its waiting jobs; cancel it through the button.
        doomed = await dispatch([ImportRows(n) for n in range(3)], name="Doomed import")
        await page.get_by_role("link", name="Doomed import").click(timeout=WITHIN)
        await page.wait_for_url(f"**/queue/batches/{doomed}")
        await expect(page.locator("#page-title")).to_have_text("Doomed import")
        await expect(page.locator("#content tbody tr")).to_have_count(3)
        assert await _fits(page)
        await page.get_by_role("button", name="Cancel batch").click()
        await page.get_by_role("button", name="Keep it as it is").click()
        await expect(page.get_by_role("button", name="Cancel batch")).to_be_visible()
        await page.get_by_role("button", name="Cancel batch").click()
        await page.get_by_role("button", name="Yes, cancel the batch").click()
        await expect(page.locator("#flash")).to_contain_text("Batch cancelled.")
        await expect(page.locator(".batch-summary .badge")).to_have_text("Cancelled")
        await expect(page.get_by_role("button", name="Cancel batch")).to_have_count(0)

        await page.get_by_role("link", name="Batches", exact=True).first.click()
        await page.wait_for_url("**/queue/batches")
        await expect(page.locator(f'tr[data-id="{doomed}"] .badge')).to_have_text("Cancelled")
    assert problems == []
