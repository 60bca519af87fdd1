"""The Overview, Workers and Metrics pages in headless Chromium, against the testbench app served
by uvicorn and a real ``queue:work`` process: the live worker and its queue, a job's run showing
on the overview, an SVG chart with axis labels and units, no console errors or CSP refusals, and
pages that fit a 375 px phone."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import ConsoleMessage, Page, expect

from foundry.kernel.application import Application
from foundry.queue.metrics import QueueMetrics
from foundry.testing.database import migrate_database
from tests.conftest import MakeApplication
from tests.foundry.dashboard.support import PASSWORD, make_user
from tests.foundry.queue.processes import labels_in, start_worker, stop_worker
from tests.foundry.queue.sample_jobs import SleepJob
from tests.support.browser import LiveServer, live_server, open_browser

pytestmark = pytest.mark.browser

#: Longer than the pages' 2 s polling and the worker's 1 s flush, for a slow machine.
WITHIN = 10000


@pytest.fixture
async def served(
    make_application: MakeApplication, tmp_path: Path
) -> AsyncIterator[tuple[LiveServer, Application, dict[str, str]]]:
    """The testbench app served on a fresh SQLite database with database metrics, the same
    settings for a worker process, and an app for the test's own writes."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'overview.sqlite'}"
    await migrate_database(url)
    env = {
        "DATABASE_URL": url,
        "QUEUE_METRICS_STORE": "database",
        "QUEUE_METRICS_FLUSH_SECONDS": "0.5",
        "QUEUE_WORKER_HEARTBEAT_SECONDS": "1",
    }
    application = make_application(**env)
    with live_server(env, tmp_path / "server.log") as live:
        yield live, application, env
    await application.container.make(QueueMetrics).aclose()


async def _fits(page: Page) -> bool:
    await page.set_viewport_size({"width": 375, "height": 800})
    fits = await page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    await page.set_viewport_size({"width": 1280, "height": 800})
    return bool(fits)


async def test_overview_workers_and_metrics_with_a_live_worker(
    served: tuple[LiveServer, Application, dict[str, str]], tmp_path: Path
) -> None:
    live, app, env = served
    await make_user(app, "ops@example.com", permissions=["queue.dashboard"])
    problems: list[str] = []

    def console(message: ConsoleMessage) -> None:
        # CSP refusals and script errors land here; the OAuth2 login page has no icon.
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            problems.append(f"{message.location['url']}: {message.text}")

    log = tmp_path / "worker.log"
    worker = start_worker(env, log, "--queue", "reports", "--name", "reporter", "--sleep", "0.2")
    try:
        async with open_browser() as browser:
            page = await browser.new_page(viewport={"width": 1280, "height": 800})
            page.on("console", console)
            page.on("pageerror", lambda error: problems.append(str(error)))
            await page.goto(f"{live.url}/queue")
            await page.get_by_label("Email").fill("ops@example.com")
            await page.get_by_label("Password").fill(PASSWORD)
            await page.get_by_role("button", name="Sign in").click()
            await page.wait_for_url("**/queue")

            # The worker appears with its queue; its queue is running.
            workers = page.locator("#content tbody").last
            await expect(workers).to_contain_text("reporter", timeout=WITHIN)
            await expect(workers).to_contain_text("database: reports")
            reports = page.locator('#content tr[data-queue="database:reports"]')
            await expect(reports.locator(".status")).to_have_text("running", timeout=WITHIN)

            # Jobs run while the page is open: the headline numbers move by themselves.
            out = tmp_path / "out.txt"
            for index in range(3):
                await SleepJob(f"r{index}", 0.02, str(out)).on_queue("reports").dispatch()
            stat = page.locator(".stat").nth(1).locator(".stat-value")
            await expect(stat).to_have_text("3", timeout=WITHIN)
            assert labels_in(out) == ["r0", "r1", "r2"]
            assert await _fits(page)

            await page.get_by_role("link", name="Workers").click()
            row = page.locator("#content tbody tr").first
            await expect(row).to_contain_text("reporter")
            await expect(row).to_contain_text("MB")
            await expect(row).to_contain_text("s ago")
            # A job that runs for a while shows as the worker's current job, then goes.
            await SleepJob("long", 2.5, str(out)).on_queue("reports").dispatch()
            current = row.locator("td").nth(3)
            await expect(current).to_contain_text("SleepJob", timeout=WITHIN)
            await expect(current).to_contain_text("reports")
            await expect(current).to_have_text("idle", timeout=WITHIN)
            await expect(row.locator("td").nth(4)).to_have_text("4", timeout=WITHIN)
            assert await _fits(page)

            # The metrics page draws its charts with axes and units.
            await page.get_by_role("link", name="Metrics").click()
            chart = page.locator("figure.chart svg").first
            await expect(chart).to_be_visible(timeout=WITHIN)
            await expect(chart.locator("text.chart-unit")).to_have_text("jobs/min")
            assert await chart.locator("text.chart-tick-x").count() >= 2
            assert await chart.locator("text.chart-tick-y").count() >= 2
            assert await chart.locator("path.chart-line").count() == 1
            await expect(page.locator(".chart-legend").first).to_contain_text("database:reports")
            await page.get_by_role("button", name="Job classes").click()
            await expect(page.locator(".chart-legend").first).to_contain_text("SleepJob")
            await page.get_by_role("button", name="7 days").click()
            await expect(page.locator(".hint")).to_contain_text("One point per 120 min")
            assert await _fits(page)
    finally:
        assert stop_worker(worker, log) == 0
    assert problems == []
