"""RFC 8628: ``POST /oauth/device/code`` for devices, ``GET/POST /oauth/device`` for the user."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import RedirectResponse, Response

from foundry.auth.user_provider import UserProvider
from foundry.http.controllers.oauth_token import render
from foundry.http.dependencies import Inject
from foundry.http.oauth_browser import Cookies, browser_user
from foundry.http.oauth_request import read_oauth_request
from foundry.http.views import PAGE_HEADERS, render_page
from foundry.kernel.errors import TooManyRequestsError
from foundry.oauth2.request import parse_form
from foundry.oauth2.server import OAuth2Response
from foundry.oauth2.services.oauth2_device_service import OAuth2DeviceService

__all__ = ["device_router", "router"]

#: ``POST /oauth/device/code`` answers JSON (api group); the pages are HTML (web group).
device_router = APIRouter(tags=["oauth2"])
router = APIRouter(prefix="/oauth", tags=["oauth2"])


@device_router.post("/oauth/device/code", response_model=None)
async def device_code(request: Request, devices: Inject[OAuth2DeviceService]) -> Response:
    """A device code and the user code to type at ``verification_uri``."""
    adapted = await read_oauth_request(request)
    if isinstance(adapted, OAuth2Response):
        return render(adapted)
    return render(await devices.authorize_device(adapted, _ip(request)))


def _ip(request: Request) -> str | None:
    return request.client.host if request.client else None


def _too_many(exc: TooManyRequestsError, user_code: str) -> Response:
    response = _page({"show_form": True, "user_code": user_code, "error": exc.message}, 429)
    response.headers.update(exc.headers)
    return response


def _page(context: dict[str, Any], status: int = 200) -> Response:
    base = {
        "message": "",
        "error": "",
        "client_name": "",
        "scopes": [],
        "user_code": "",
        "csrf_token": "",
        "show_form": False,
    }
    return render_page("oauth/device.html.j2", {**base, **context}, status)


async def _code_page(
    code: str, csrf_token: str, devices: OAuth2DeviceService, ip: str | None
) -> Response:
    """The form (no code yet, or a wrong one) or what the device behind ``code`` asks for."""
    if not code:
        return _page({"show_form": True})
    try:
        prompt = await devices.guess(code, ip)
    except TooManyRequestsError as exc:
        return _too_many(exc, code)
    if prompt is None:
        error = "That code is invalid or has expired."
        return _page({"show_form": True, "user_code": code, "error": error}, 400)
    return _page(
        {
            "client_name": prompt.client_name,
            "scopes": prompt.scopes,
            "user_code": code,
            "csrf_token": csrf_token,
        }
    )


@router.get("/device", response_model=None)
async def device_page(
    request: Request,
    cookies: Cookies,
    devices: Inject[OAuth2DeviceService],
    session: Inject[AsyncSession],
    users: Inject[UserProvider],
) -> Response:
    """Type the user code (signed in), then see what the device asks for."""
    browser = cookies.read(request) or cookies.start(None)
    user = await browser_user(browser, session, users)
    if user is None:
        next_url = "/oauth/device" + (f"?{request.url.query}" if request.url.query else "")
        response: Response = RedirectResponse(
            f"/oauth/login?{urlencode({'next': next_url})}", status_code=302
        )
        response.headers.update(PAGE_HEADERS)
    else:
        code = request.query_params.get("user_code", "")[:32]
        response = await _code_page(code, browser.csrf, devices, _ip(request))
    cookies.write(response, browser)
    return response


@router.post("/device", response_model=None)
async def device_decision(
    request: Request,
    cookies: Cookies,
    devices: Inject[OAuth2DeviceService],
    session: Inject[AsyncSession],
    users: Inject[UserProvider],
) -> Response:
    """Allow or deny the device (CSRF-checked)."""
    form = dict(parse_form(await request.body()))
    browser = cookies.read(request)
    if browser is None or not browser.csrf_matches(form.get("csrf_token")):
        return _page({"error": "The form expired; please start again.", "show_form": True}, 403)
    user = await browser_user(browser, session, users)
    if user is None:
        return _page({"error": "Please sign in first.", "show_form": True}, 401)
    decision = form.get("decision")
    try:
        prompt = await devices.guess(form.get("user_code", "")[:32], _ip(request))
    except TooManyRequestsError as exc:
        return _too_many(exc, form.get("user_code", "")[:32])
    if prompt is None or decision not in ("approve", "deny"):
        return _page({"error": "That code is invalid or has expired.", "show_form": True}, 400)
    # How the user signed in on this browser goes into the device's tokens (amr, acr, mfa_at).
    await devices.decide(
        prompt, user.id, approve=decision == "approve", login=browser.login_claims()
    )
    message = "Done: return to your device." if decision == "approve" else "The device was denied."
    return _page({"message": message})
