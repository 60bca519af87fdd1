"""/docs (Swagger UI) and /redoc in headless Chromium: they render the API with no network
beyond the app itself and nothing refused by their CSP."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import ConsoleMessage, Request

from tests.support.browser import live_server, open_browser

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("path", "rendered"),
    [("/docs", ".opblock-tag"), ("/redoc", "[data-section-id]")],
)
async def test_the_api_docs_render_from_the_app_alone(
    tmp_path: Path, path: str, rendered: str
) -> None:
    env = {
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'app.sqlite'}",
        "API_DOCS": "true",
        "SECURITY_HEADERS": "true",
    }
    problems: list[str] = []
    elsewhere: list[str] = []

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(message.text)

    with live_server(env, tmp_path / "server.log") as live:

        def request(sent: Request) -> None:
            # ReDoc runs its search in a worker made from a blob: of this origin.
            own = (live.url, "blob:" + live.url, "data:")
            if not sent.url.startswith(own):
                elsewhere.append(sent.url)

        async with open_browser() as browser:
            page = await browser.new_page()
            page.on("console", console)
            page.on("request", request)
            await page.goto(live.url + path)
            await page.wait_for_selector(rendered, timeout=30_000)
            assert "Users" in await page.inner_text("body") or "users" in await page.content()
    assert problems == []
    assert elsewhere == []
