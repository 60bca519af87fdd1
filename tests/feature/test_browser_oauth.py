"""The OAuth2 sign-in and consent pages in headless Chromium, against the app served by uvicorn.

What a user of a third-party app sees: the authorize link opens the login page, they sign in,
approve on the consent page, and the browser lands on the client's redirect URI with a code that
authlib exchanges for a token. The pages' own CSP must not block anything they need.
"""

from __future__ import annotations

import json
import secrets
import warnings
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.async_api import ConsoleMessage, Route

from tests.support.artisan import artisan_process
from tests.support.browser import LiveServer, live_server, open_browser

with warnings.catch_warnings():
    # authlib 1.9 warns on import that it prefers the httpx2 fork; it works unchanged on httpx.
    warnings.filterwarnings("ignore", message="The httpx module is deprecated")
    from authlib.integrations.httpx_client import AsyncOAuth2Client

pytestmark = pytest.mark.browser

REDIRECT = "https://client.example/callback"
PASSWORD = "correct horse battery staple 42"


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    """The app on a fresh SQLite database with a user and a third-party client."""
    env = {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'app.sqlite'}"}
    for args in (
        ("migrate",),
        ("user:create", "--name", "Ada", "--email", "ada@example.com", "--password", PASSWORD),
    ):
        done = artisan_process(*args, env=env)
        assert done.returncode == 0, done.stdout + done.stderr
    created = artisan_process(
        "oauth:client", "--name", "Photo printer", "--redirect", REDIRECT,
        "--scopes", "profile", "--json", env=env,
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    client = json.loads(created.stdout)
    with live_server(env, tmp_path / "server.log") as live:
        yield live, client


async def test_sign_in_and_approve_in_a_real_browser(
    server: tuple[LiveServer, dict[str, str]],
) -> None:
    live, registered = server
    verifier = secrets.token_urlsafe(48)
    oauth = AsyncOAuth2Client(
        registered["client_id"],
        registered["client_secret"],
        redirect_uri=REDIRECT,
        scope="profile",
        code_challenge_method="S256",
    )
    url, state = oauth.create_authorization_url(
        f"{live.url}/oauth/authorize", code_verifier=verifier
    )
    landed: list[str] = []
    problems: list[str] = []

    async def callback(route: Route) -> None:
        landed.append(route.request.url)
        await route.fulfill(status=200, content_type="text/html", body="<p>client app</p>")

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":  # CSP refusals and script errors land here
            problems.append(message.text)

    async with open_browser() as browser:
        page = await browser.new_page()
        page.on("console", console)
        await page.route("https://client.example/**", callback)
        await page.goto(url)
        assert "/oauth/login" in page.url
        await page.get_by_label("Email").fill("ada@example.com")
        await page.get_by_label("Password").fill(PASSWORD)
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_url("**/oauth/authorize**")
        assert "Photo printer" in await page.content()
        await page.get_by_role("button", name="Authorize").click()
        await page.wait_for_url("https://client.example/**")
    assert problems == []
    [location] = landed
    assert location.startswith(REDIRECT + "?")
    assert parse_qs(urlsplit(location).query)["state"] == [state]
    async with oauth:
        token = await oauth.fetch_token(
            f"{live.url}/oauth/token", authorization_response=location, code_verifier=verifier
        )
        me = await oauth.get(f"{live.url}/api/v1/auth/me")
    assert token["scope"] == "profile"
    assert me.status_code == 200 and me.json()["data"]["email"] == "ada@example.com"
