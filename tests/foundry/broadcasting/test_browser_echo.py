"""Laravel Echo and pusher-js, the real npm packages, in headless Chromium against the app.

The page (``tests/browser_js/echo.html``) and the two packages' browser builds are served by a
static server of the test's own on another port, as a single-page app's front end would be:
``/broadcasting/auth`` is then a cross-origin call (the app allows the page's origin through
``CORS_ALLOWED_ORIGINS``) carrying the bearer token in Echo's ``auth.headers``. The packages
come from ``tests/browser_js/package-lock.json`` (``npm ci``).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from playwright.async_api import Browser, Page
from playwright.async_api import TimeoutError as PlaywrightTimeoutError

from foundry.broadcasting import PrivateChannel, ShouldBroadcastNow, broadcast
from foundry.console.runtime import booted_application
from tests.foundry.broadcasting.conftest import (
    KEY,
    BroadcastApp,
    broadcasting_env,
    database_copy,
    login,
)
from tests.support.browser import open_browser
from tests.support.live_server import live_server

pytestmark = pytest.mark.browser

AUTH = "/broadcasting/auth"
JS = Path(__file__).resolve().parents[2] / "browser_js"
#: What the page loads, by the name it asks for.
ASSETS = {
    "echo.html": JS / "echo.html",
    "pusher.min.js": JS / "node_modules/pusher-js/dist/web/pusher.min.js",
    "echo.iife.js": JS / "node_modules/laravel-echo/dist/echo.iife.js",
}


@pytest.fixture(scope="session")
def echo_assets() -> dict[str, Path]:
    """``tests/browser_js/node_modules``, installed by ``npm ci`` when missing.

    A failed install skips the tests locally (no npm, no registry) and fails them under CI.
    """
    if not all(path.exists() for path in ASSETS.values()):
        npm = shutil.which("npm")
        problem = "npm is not installed" if npm is None else ""
        if npm is not None:
            done = subprocess.run(
                [npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund"],
                cwd=JS,
                capture_output=True,
                text=True,
                timeout=300,
            )
            if done.returncode != 0:
                problem = f"npm ci failed in {JS}:\n{done.stdout}{done.stderr}"
        if problem:
            if os.environ.get("CI") == "true":
                pytest.fail(problem)
            pytest.skip(f"pusher-js and laravel-echo unavailable: {problem}")
    return ASSETS


class _Assets(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        path = ASSETS.get(self.path.lstrip("/"))
        if path is None:
            self.send_error(404)
            return
        body = path.read_bytes()
        self.send_response(200)
        kind = "text/html" if path.suffix == ".html" else "application/javascript"
        self.send_header("Content-Type", kind + "; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        return None  # quiet: pytest shows the test's own output


@pytest.fixture(scope="module")
def origin(echo_assets: dict[str, Path]) -> Iterator[str]:
    """The static server of the page and the JavaScript files, on a port of its own."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Assets)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@pytest.fixture(scope="module")
def app(
    origin: str, tmp_path_factory: pytest.TempPathFactory, database_template: Path
) -> Iterator[BroadcastApp]:
    """The app served by uvicorn, allowing the page's origin to call ``/broadcasting/auth``."""
    tmp = tmp_path_factory.mktemp("broadcasting-browser")
    # The migrated database with Ada and Bob that the other broadcasting servers copy.
    env = broadcasting_env(database_copy(database_template, tmp), CORS_ALLOWED_ORIGINS=origin)
    with live_server(env, tmp / "server.log") as live:
        yield BroadcastApp(
            live, env, login(live.url, "ada@example.com"), login(live.url, "bob@example.com")
        )


class ShipmentSent(ShouldBroadcastNow):
    """Sent from Python through ``foundry.broadcasting`` to Ada's private channel."""

    def __init__(self, order_id: int) -> None:
        self.order_id = order_id

    def broadcast_on(self) -> list[str]:
        return [PrivateChannel("users.1")]


@asynccontextmanager
async def echo_page(
    browser: Browser, origin: str, app: BroadcastApp, token: str
) -> AsyncIterator[Page]:
    """The page served at ``origin``, with Echo connected to ``app`` as the holder of ``token``."""
    page = await browser.new_page()
    await page.goto(origin + "/echo.html")
    host, port = app.url.removeprefix("http://").split(":")
    options = {"key": KEY, "host": host, "port": int(port), "authEndpoint": app.url + AUTH}
    await page.evaluate(
        "([options, token]) => window.echoTest.connect(options, token)", [options, token]
    )
    try:
        yield page
    finally:
        await page.close()


async def seen(page: Page, entry: dict[str, Any]) -> None:
    """Wait until the page has noted ``entry`` (a subscription, an event, members...)."""
    try:
        await page.wait_for_function(
            "(entry) => window.echoTest.seen(entry)", arg=entry, timeout=15000
        )
    except PlaywrightTimeoutError:
        noted = await page.evaluate("() => window.received")
        raise AssertionError(f"the page never noted {entry}; it noted {noted}") from None


async def test_echo_receives_events_from_the_pusher_library_and_broadcast_events(
    app: BroadcastApp, origin: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with open_browser() as browser, echo_page(browser, origin, app, app.ada) as page:
        await page.evaluate("() => window.echoTest.listen('orders', 'OrderShipped')")
        await page.evaluate("() => window.echoTest.listenPrivate('users.1', 'ShipmentSent')")
        await seen(page, {"subscribed": "orders"})
        await seen(page, {"subscribed": "private-users.1"})

        app.pusher().trigger("orders", "OrderShipped", {"id": 7, "total": "19.90"})
        await seen(
            page,
            {"channel": "orders", "event": "OrderShipped", "data": {"id": 7, "total": "19.90"}},
        )

        # The reverb broadcaster, pointed at the served app, as the app's own code would send.
        host, port = app.url.removeprefix("http://").split(":")
        env = {
            **app.env,
            "BROADCAST_CONNECTION": "reverb",
            "REVERB_HOST": host,
            "REVERB_PORT": port,
        }
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        async with booted_application():
            await broadcast(ShipmentSent(42))
        await seen(
            page,
            {"channel": "private-users.1", "event": "ShipmentSent", "data": {"order_id": 42}},
        )


async def test_presence_members_join_and_leave(app: BroadcastApp, origin: str) -> None:
    async with open_browser() as browser, echo_page(browser, origin, app, app.ada) as ada:
        await ada.evaluate("() => window.echoTest.join('chat.lobby')")
        await seen(ada, {"here": ["Ada"]})
        async with echo_page(browser, origin, app, app.bob) as bob:
            await bob.evaluate("() => window.echoTest.join('chat.lobby')")
            await seen(bob, {"here": ["Ada", "Bob"]})
            await seen(ada, {"joining": "Bob"})
        await seen(ada, {"leaving": "Bob"})


async def test_a_private_channel_without_permission_is_refused(
    app: BroadcastApp, origin: str
) -> None:
    async with open_browser() as browser, echo_page(browser, origin, app, app.bob) as page:
        await page.evaluate("() => window.echoTest.listenPrivate('users.1', 'ShipmentSent')")
        await seen(page, {"refused": "private-users.1", "status": 403})
        app.pusher().trigger("private-users.1", "ShipmentSent", {"order_id": 1})
        await page.evaluate("() => window.echoTest.listenPrivate('users.2', 'ShipmentSent')")
        await seen(page, {"subscribed": "private-users.2"})
        received = await page.evaluate("() => window.received.filter((entry) => entry.event)")
        assert received == []
