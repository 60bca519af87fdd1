"""The browser session's second factor: the step-up page (``GET/POST /oauth/step-up``), the
passkey options of the step-up and sign-in forms, and the script of their passkey button.

A page that needs a recent second factor (the queue dashboard's actions) sends the user to
``/oauth/step-up?next=/queue/...``; a code, a recovery code or a passkey there records the time
in the session cookie (:meth:`BrowserSession.with_mfa`) and a 303 brings them back. A user with
an SMS factor gets a "Text me a code" button (``POST /oauth/step-up/sms``) that texts the code. The passkey
button (``foundry/http/static/passkey-form.js``) asks ``.../passkey`` for WebAuthn request
options, then posts the form with the browser's assertion in its ``credential`` field.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.responses import JSONResponse, RedirectResponse, Response

from foundry.auth.user_provider import UserProvider
from foundry.http.controllers.mfa import mfa_client
from foundry.http.controllers.oauth_authorize import lockout_message, sms_refusal, sms_sent
from foundry.http.dependencies import Inject
from foundry.http.mfa import STEP_UP_PATH, BrowserMfa, BrowserMfaState
from foundry.http.oauth_browser import Cookies, browser_user, form_proof, safe_next
from foundry.http.page_scripts import script_response
from foundry.http.views import PAGE_HEADERS, render_page
from foundry.http.web_session import BrowserSession
from foundry.kernel.errors import (
    AuthenticationError,
    AuthorizationError,
    HttpError,
    TooManyRequestsError,
    ValidationError,
)
from foundry.mfa.clock import MfaClock
from foundry.mfa.factors import MfaClient
from foundry.mfa.policy import MfaPolicyService
from foundry.mfa.service import MfaService, SecondFactorFailedError
from foundry.mfa.sms.service import METHOD as SMS
from foundry.mfa.webauthn.service import METHOD as PASSKEY
from foundry.oauth2.request import parse_form

__all__ = ["PASSKEY_SCRIPT_PATH", "router"]

router = APIRouter(prefix="/oauth", include_in_schema=False)

#: The passkey button's script (served here: the pages' CSP allows scripts of this site only).
PASSKEY_SCRIPT_PATH = "/oauth/assets/passkey-form.js"
#: Where a step-up goes back to when no (safe) ``next`` was given.
_HOME = "/"
_NO_STORE = {"Cache-Control": "no-store"}

Client = Annotated[MfaClient, Depends(mfa_client)]


@router.get("/assets/passkey-form.js", name="oauth.passkey-script")
async def passkey_script() -> Response:
    """The passkey button of the sign-in's second step and of the step-up page."""
    return script_response("webauthn-json.js", "passkey-form.js")


def _to_login(next_url: str, *, after_post: bool) -> RedirectResponse:
    # Signing in with a second factor records it too: the user lands on ``next`` stepped up.
    response = RedirectResponse(
        f"/oauth/login?{urlencode({'next': next_url})}", status_code=303 if after_post else 302
    )
    response.headers.update(PAGE_HEADERS)
    return response


def _page(
    browser: BrowserSession,
    next_url: str,
    methods: Sequence[str],
    state: BrowserMfaState,
    *,
    error: str = "",
    sent: tuple[str, int] | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    response = render_page(
        "oauth/step_up.html.j2",
        {
            "csrf_token": browser.csrf,
            "next": next_url,
            "methods": list(methods),
            "has_code": any(m not in ("recovery_code", PASSKEY) for m in methods),
            "state": state,
            "error": error,
            "action": STEP_UP_PATH,
            "passkey_options": f"{STEP_UP_PATH}/passkey",
            "sms_action": f"{STEP_UP_PATH}/sms",
            "sent_to": sent[0] if sent else "",
            "sent_minutes": sent[1] if sent else 0,
        },
        status,
    )
    # Retry-After of a 429 or 503: the page says it in words, the header for the browser.
    response.headers.update(headers or {})
    return response


def _expired() -> Response:
    return render_page(
        "oauth/error.html.j2",
        {"error": "invalid_request", "description": "The form expired; please start again."},
        403,
    )


@router.get("/step-up", name="oauth.step-up", response_model=None)
async def step_up_page(
    request: Request,
    cookies: Cookies,
    session: Inject[AsyncSession],
    users: Inject[UserProvider],
    mfa: Inject[BrowserMfa],
    policy: Inject[MfaPolicyService],
) -> Response:
    """Ask the signed-in user for a second factor, then go back to ``next``; a guest signs in
    first."""
    next_url = safe_next(request.query_params.get("next"), _HOME)
    browser = cookies.read(request)
    user = await browser_user(browser, session, users)
    if browser is None or user is None:
        return _to_login(next_url, after_post=False)
    state = await mfa.state(browser, user)
    return _page(browser, next_url, await policy.methods(session, user), state)


@router.post("/step-up", name="oauth.step-up.verify", response_model=None)
async def step_up(
    request: Request,
    cookies: Cookies,
    session: Inject[AsyncSession],
    users: Inject[UserProvider],
    mfa: Inject[BrowserMfa],
    policy: Inject[MfaPolicyService],
    service: Inject[MfaService],
    clock: Inject[MfaClock],
    client: Client,
) -> Response:
    """A code, a recovery code or a passkey assertion: on success the session records the
    second factor's time and a 303 goes back to ``next``; otherwise the form again."""
    form = dict(parse_form(await request.body()))
    next_url = safe_next(form.get("next"), _HOME)
    browser = cookies.read(request)
    if browser is None or not browser.csrf_matches(form.get("csrf_token")):
        return _expired()
    user = await browser_user(browser, session, users)
    if user is None:
        return _to_login(next_url, after_post=True)

    async def again(error: str, status: int, headers: dict[str, str] | None = None) -> Response:
        state = await mfa.state(browser, user)
        methods = await policy.methods(session, user)
        return _page(browser, next_url, methods, state, error=error, status=status, headers=headers)

    try:
        factor = await service.prove_again(user, form_proof(form), client)
    except SecondFactorFailedError:
        return await again("That code is not valid. Please try again.", 401)
    except ValidationError as exc:
        first = next(iter(exc.errors.values()), [exc.message])
        return await again(first[0] if first else exc.message, 422)
    except TooManyRequestsError as exc:
        return await again(lockout_message(exc), 429, exc.headers)
    response = RedirectResponse(next_url, status_code=303, headers=PAGE_HEADERS)
    cookies.write(response, browser.with_mfa(clock.now(), factor.amr))
    return response


@router.post("/step-up/sms", name="oauth.step-up.sms", response_model=None)
async def step_up_text_code(
    request: Request,
    cookies: Cookies,
    session: Inject[AsyncSession],
    users: Inject[UserProvider],
    mfa: Inject[BrowserMfa],
    policy: Inject[MfaPolicyService],
    service: Inject[MfaService],
    client: Client,
) -> Response:
    """The "Text me a code" button: texts a code to the signed-in user's phone (the API's SMS
    challenge, with its send limits), then shows the page again saying where it went."""
    form = dict(parse_form(await request.body()))
    next_url = safe_next(form.get("next"), _HOME)
    browser = cookies.read(request)
    if browser is None or not browser.csrf_matches(form.get("csrf_token")):
        return _expired()
    user = await browser_user(browser, session, users)
    if user is None:
        return _to_login(next_url, after_post=True)
    try:
        sent = sms_sent(await service.challenge(user, SMS, client))
        failure: HttpError | None = None
    except HttpError as exc:
        sent, failure = None, exc
    state = await mfa.state(browser, user)
    methods = await policy.methods(session, user)
    if sent is None:
        error, status = sms_refusal(failure or ValidationError({"method": []}))
        headers = failure.headers if failure is not None else None
        return _page(browser, next_url, methods, state, error=error, status=status, headers=headers)
    return _page(browser, next_url, methods, state, sent=sent)


async def _checked_form(
    request: Request, cookies: Cookies
) -> tuple[dict[str, str], BrowserSession]:
    """The posted form and the session, when the form's ``csrf_token`` is the session's."""
    form = dict(parse_form(await request.body()))
    browser = cookies.read(request)
    if browser is None or not browser.csrf_matches(form.get("csrf_token")):
        raise AuthorizationError(
            "The page's security token is missing or expired: reload the page.",
            error="csrf_mismatch",
        )
    return form, browser


def _options(answer: dict[str, Any]) -> JSONResponse:
    return JSONResponse({"data": answer["challenge"]}, headers=_NO_STORE)


@router.post("/step-up/passkey", name="oauth.step-up.passkey", response_model=None)
async def step_up_passkey_options(
    request: Request,
    cookies: Cookies,
    session: Inject[AsyncSession],
    users: Inject[UserProvider],
    service: Inject[MfaService],
    client: Client,
) -> JSONResponse:
    """WebAuthn request options listing the signed-in user's passkeys (the form's
    ``csrf_token``); 401 without a session, 422 without a passkey."""
    _, browser = await _checked_form(request, cookies)
    user = await browser_user(browser, session, users)
    if user is None:
        raise AuthenticationError("Sign in first.")
    return _options(await service.challenge(user, PASSKEY, client))


@router.post("/login/mfa/passkey", name="oauth.login.mfa.passkey", response_model=None)
async def login_passkey_options(
    request: Request, cookies: Cookies, service: Inject[MfaService], client: Client
) -> JSONResponse:
    """WebAuthn request options for the sign-in's second step: the form's ``mfa_token`` (and
    ``csrf_token``) name the user; 401 once the token expired, 422 without a passkey."""
    form, _ = await _checked_form(request, cookies)
    return _options(await service.challenge_for_token(form.get("mfa_token", ""), PASSKEY, client))
