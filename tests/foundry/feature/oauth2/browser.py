"""A scripted browser for the consent flow: follows the login and consent pages like a user."""

from __future__ import annotations

import html
import re

import httpx

from tests.foundry.feature.oauth2.conftest import PASSWORD

_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def hidden_fields(page: str) -> dict[str, str]:
    """The hidden inputs of a page's form."""
    return {html.unescape(k): html.unescape(v) for k, v in _HIDDEN.findall(page)}


def path_of(location: str) -> str:
    """A same-site redirect's path and query."""
    return location.removeprefix("https://testserver")


async def sign_in(browser: httpx.AsyncClient, authorize_url: str) -> httpx.Response:
    """Open ``authorize_url``, sign in on the login page, and return the page that follows."""
    first = await browser.get(authorize_url)
    assert first.status_code == 302, first.text
    login_page = await browser.get(path_of(first.headers["location"]))
    assert login_page.status_code == 200
    fields = hidden_fields(login_page.text)
    signed_in = await browser.post(
        "/oauth/login",
        data={**fields, "email": "ada@example.com", "password": PASSWORD},
    )
    assert signed_in.status_code == 303, signed_in.text
    return await browser.get(path_of(signed_in.headers["location"]))


async def approve(
    browser: httpx.AsyncClient, consent_page: httpx.Response, decision: str = "approve"
) -> str:
    """Submit the consent form; returns the redirect's Location."""
    assert consent_page.status_code == 200, consent_page.text
    fields = hidden_fields(consent_page.text)
    answer = await browser.post("/oauth/authorize", data={**fields, "decision": decision})
    assert answer.status_code == 303, answer.text
    return answer.headers["location"]


async def authorize(browser: httpx.AsyncClient, authorize_url: str) -> str:
    """Go through whatever the server asks (login, consent) and return the final redirect."""
    response = await browser.get(authorize_url)
    if response.status_code == 302 and "/oauth/login" in response.headers["location"]:
        response = await sign_in(browser, authorize_url)
    if response.status_code == 200:
        return await approve(browser, response)
    assert response.status_code == 302, response.text
    return response.headers["location"]
