"""Real pages in a real browser: headless Chromium (Debian's ``chromium``) driven by Playwright.

Playwright's own browser downloads are not used (they fail on machines without that network
access): it drives the system's Chromium through ``executable_path``. Tests marked ``browser``
are left out locally when no Chromium is installed (one header line says so); under ``CI=true``
a missing Chromium stops the run, and ``.ci/run`` installs it first.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from playwright.async_api import Browser, async_playwright

from tests.support.live_server import LiveServer, live_server
from tests.support.services import chromium_path

__all__ = ["LiveServer", "chromium_path", "live_server", "open_browser"]


@asynccontextmanager
async def open_browser() -> AsyncIterator[Browser]:
    """A headless Chromium for one test, closed afterwards."""
    executable = chromium_path()
    assert executable is not None, "no Chromium: install Debian's chromium package"
    async with async_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        browser = await playwright.chromium.launch(
            executable_path=executable, headless=True, args=["--no-sandbox"]
        )
        try:
            yield browser
        finally:
            await browser.close()
